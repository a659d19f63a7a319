#pragma once
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace b2w::stream {

// A frame as every subscriber's connection sends it: serialized once, shared, never copied per client.
using Frame = std::shared_ptr<const std::string>;

// One connection's frames waiting to be written, bounded in bytes: a client that reads slower than
// messages come is refused more (push() false) rather than buffered without end. The front frame
// stays counted until written (the write in flight refers to it).
class SendQueue {
 public:
  explicit SendQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // False, and nothing queued, when the frame would take the queue over its bound.
  bool push(Frame frame) {
    if (bytes_ + frame->size() > max_bytes_ && !frames_.empty()) return false;
    bytes_ += frame->size();
    frames_.push_back(std::move(frame));
    return true;
  }
  bool empty() const { return frames_.empty(); }
  const Frame& front() const { return frames_.front(); }
  void pop() {
    bytes_ -= frames_.front()->size();
    frames_.pop_front();
  }
  // Drops everything but the front frame (a write in flight may still refer to it).
  void drop_behind_front() {
    while (frames_.size() > 1) {
      bytes_ -= frames_.back()->size();
      frames_.pop_back();
    }
  }
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return frames_.size(); }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<Frame> frames_;
};

}  // namespace b2w::stream
