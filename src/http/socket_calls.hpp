#pragma once
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <cerrno>
#include <cstddef>

namespace b2w::http {

// recv() and send() on a non-blocking socket as plain system calls. glibc's wrappers are thread
// cancellation points: in a multithreaded process each call switches the thread's cancellation
// state on and off with two atomic operations, 0.8% of a health-check's CPU. Nothing here cancels
// threads. Results as asio's socket calls give them: the count, or would_block when there is
// nothing to read or no room, eof when the peer has closed, or the system's error.

inline std::size_t syscall_result(long n, boost::system::error_code& ec) {
  if (n >= 0) {
    ec = {};
    return static_cast<std::size_t>(n);
  }
  ec.assign(errno, boost::asio::error::get_system_category());
  return 0;
}

inline std::size_t recv_some(int fd, void* data, std::size_t size, boost::system::error_code& ec) {
  long n = 0;
  do n = ::syscall(SYS_recvfrom, long{fd}, data, size, 0L, nullptr, nullptr);  // syscall() reads longs
  while (n < 0 && errno == EINTR);
  const auto got = syscall_result(n, ec);
  if (!ec && got == 0 && size > 0) ec = boost::asio::error::eof;
  return got;
}

inline std::size_t send_some(int fd, const void* data, std::size_t size, boost::system::error_code& ec) {
  long n = 0;
  do n = ::syscall(SYS_sendto, long{fd}, data, size, long{MSG_NOSIGNAL}, nullptr, 0L);
  while (n < 0 && errno == EINTR);
  return syscall_result(n, ec);
}

}  // namespace b2w::http
