#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace b2w::stream {

// A WebSocket frame as it goes on the wire (frame.hpp: header and payload), built once and shared by
// every connection that sends it, never copied per client.
using Frame = std::shared_ptr<const std::string>;

// One connection's frames waiting to be written, bounded in bytes: a client that reads slower than
// messages come is refused more (push() false) rather than buffered without end. Writes are
// coalesced: take() hands every waiting frame to one gathered write, and those frames stay counted
// until finish() (the write in flight refers to them).
class SendQueue {
 public:
  explicit SendQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // False, and nothing queued, when the frame would take the queue (and the write in flight) over its
  // bound; an empty queue takes one frame larger than the bound, else that frame could never be sent.
  bool push(Frame frame) {
    if (bytes_ + frame->size() > max_bytes_ && bytes_ != 0) return false;
    bytes_ += frame->size();
    waiting_.push_back(std::move(frame));
    return true;
  }
  // A frame that must go whatever the bound (the closing handshake): it is small and the last one.
  void push_anyway(Frame frame) {
    bytes_ += frame->size();
    waiting_.push_back(std::move(frame));
  }
  // Frames waiting for the next write (not those in flight).
  bool empty() const { return waiting_.empty(); }
  std::size_t size() const { return waiting_.size(); }
  // Moves every waiting frame to the end of `batch` for one write; they stay counted.
  void take(std::vector<Frame>& batch) {
    batch.insert(batch.end(), std::make_move_iterator(waiting_.begin()), std::make_move_iterator(waiting_.end()));
    waiting_.clear();
  }
  // The write of `batch` ended: its frames stop counting; `batch` is emptied for reuse.
  void finish(std::vector<Frame>& batch) {
    for (const auto& f : batch) bytes_ -= f->size();
    batch.clear();
  }
  // Drops every waiting frame (a write in flight keeps its own).
  void drop_waiting() {
    for (const auto& f : waiting_) bytes_ -= f->size();
    waiting_.clear();
  }
  // Bytes waiting and in flight.
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::vector<Frame> waiting_;  // a vector: its capacity is reused flush after flush, no allocation per frame
};

}  // namespace b2w::stream
