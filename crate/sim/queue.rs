//! The event queue: what happens next, in (time, sequence) order.
//!
//! Ties at the same simulated time break on a sequence number assigned at
//! insertion, so two runs of the same scenario pop events in the same order.
//!
//! Events of a *stream* (the deliveries of one direction of one connection, which
//! arrive in the order they were sent) wait outside the heap until the one before
//! them has popped: the heap holds one event per busy stream instead of every segment
//! in flight (300,000 of them when a scenario writes 100,000 times to a master with
//! three replicas at one instant). Each keeps the sequence number it got when pushed,
//! so the order events pop in is exactly the order without streams.

use crate::time::SimTime;
#[cfg(not(target_arch = "wasm32"))]
use crate::util::VecMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::VecDeque;

/// A priority queue of `T` ordered by time, then by insertion order.
#[derive(Clone, Debug)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_seq: u64,
    /// The busy streams. The page's wasm has none: it keeps one heap of everything
    /// (the same order; its bursts are small, and the streams' code would cost its
    /// download ~1 KB).
    #[cfg(not(target_arch = "wasm32"))]
    streams: Streams<T>,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
struct Streams<T> {
    /// Busy streams by number: where in `slots` each is.
    by_id: VecMap<u64, u32>,
    /// The busy streams (and free places, listed in `free`): the heap's event of a
    /// stream names its place here, so popping it finds its successor without a search.
    slots: Vec<Stream<T>>,
    /// Places in `slots` no stream uses.
    free: Vec<u32>,
    /// Events waiting in `slots`.
    waiting: usize,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
struct Stream<T> {
    /// The stream's number (its key in `streams`).
    id: u64,
    /// The time of its latest event.
    last_at: SimTime,
    /// The events after the one in the heap, in order.
    next: VecDeque<(SimTime, u64, T)>,
}

#[derive(Clone, Debug)]
struct Entry<T> {
    at: SimTime,
    seq: u64,
    /// The place in `slots` of the stream it belongs to (its successor enters the
    /// heap when it pops).
    #[cfg(not(target_arch = "wasm32"))]
    stream: Option<u32>,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
            #[cfg(not(target_arch = "wasm32"))]
            streams: Streams {
                by_id: VecMap::new(),
                slots: Vec::new(),
                free: Vec::new(),
                waiting: 0,
            },
        }
    }
}

impl<T> EventQueue<T> {
    /// Schedule `item` at `at`.
    pub fn push(&mut self, at: SimTime, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry {
            at,
            seq,
            #[cfg(not(target_arch = "wasm32"))]
            stream: None,
            item,
        }));
    }

    /// Schedule `item` at `at` as the next event of `stream`. It waits outside the
    /// heap while an earlier event of the stream is scheduled, unless it is due
    /// before the stream's latest event (then it is scheduled at once, as `push`).
    pub fn push_stream(&mut self, stream: u64, at: SimTime, item: T) {
        // The page's wasm keeps one heap of everything (see `streams`).
        #[cfg(target_arch = "wasm32")]
        return {
            let _ = stream;
            self.push(at, item)
        };
        #[cfg(not(target_arch = "wasm32"))]
        self.push_streamed(stream, at, item);
    }

    // Inlined into the network's per-segment path (`sim::net`'s `NATIVE` says why).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn push_streamed(&mut self, stream: u64, at: SimTime, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let streams = &mut self.streams;
        match streams.by_id.get(&stream) {
            Some(&k) => {
                let s = &mut streams.slots[k as usize];
                if at >= s.last_at {
                    s.last_at = at;
                    s.next.push_back((at, seq, item));
                    streams.waiting += 1;
                } else {
                    self.heap.push(Reverse(Entry {
                        at,
                        seq,
                        stream: None,
                        item,
                    }));
                }
            }
            None => {
                let k = match streams.free.pop() {
                    Some(k) => {
                        // Its queue is empty, and keeps its buffer for this stream.
                        let s = &mut streams.slots[k as usize];
                        s.id = stream;
                        s.last_at = at;
                        k
                    }
                    None => {
                        streams.slots.push(Stream {
                            id: stream,
                            last_at: at,
                            next: VecDeque::new(),
                        });
                        (streams.slots.len() - 1) as u32
                    }
                };
                streams.by_id.insert(stream, k);
                self.heap.push(Reverse(Entry {
                    at,
                    seq,
                    stream: Some(k),
                    item,
                }));
            }
        }
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// Remove and return the next event.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        #[cfg(target_arch = "wasm32")]
        {
            // No streams there (see `streams`).
            let Reverse(e) = self.heap.pop()?;
            Some((e.at, e.item))
        }
        #[cfg(not(target_arch = "wasm32"))]
        self.pop_streamed()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn pop_streamed(&mut self) -> Option<(SimTime, T)> {
        let mut top = self.heap.peek_mut()?;
        if let Some(stream) = top.0.stream {
            let streams = &mut self.streams;
            let s = &mut streams.slots[stream as usize];
            match s.next.pop_front() {
                Some((at, seq, item)) => {
                    // The stream's next event takes the popped one's place at the top
                    // and sinks to where it belongs: one pass over the heap, not two.
                    streams.waiting -= 1;
                    let next = Entry {
                        at,
                        seq,
                        stream: Some(stream),
                        item,
                    };
                    let e = std::mem::replace(&mut top.0, next);
                    return Some((e.at, e.item));
                }
                None => {
                    // The stream is idle: its place is free for the next one, which
                    // reuses its queue's buffer unless a burst made that big.
                    if s.next.capacity() > 64 {
                        s.next = VecDeque::new();
                    }
                    streams.by_id.remove(&s.id);
                    streams.free.push(stream);
                }
            }
        }
        let Reverse(e) = std::collections::binary_heap::PeekMut::pop(top);
        Some((e.at, e.item))
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        return self.heap.len() + self.streams.waiting;
        #[cfg(target_arch = "wasm32")]
        self.heap.len()
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_insertion() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(5), "d");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, x)| x)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    #[test]
    fn streams_pop_in_the_same_order_as_plain_pushes() {
        // Pseudo-random times and streams, including a stream event due before its
        // predecessor (scheduled at once); both queues must agree event for event.
        let mut rng = crate::rng::Rng::new(7);
        let (mut plain, mut streamed) = (EventQueue::default(), EventQueue::default());
        let mut last = [0u64; 4];
        let mut now = 0u64;
        let mut popped = (Vec::new(), Vec::new());
        for i in 0..5_000u64 {
            let s = rng.index(5);
            if s == 4 {
                let at = SimTime(now + rng.index(50) as u64);
                plain.push(at, i);
                streamed.push(at, i);
            } else {
                let back = rng.index(20) == 0;
                let at = if back {
                    last[s].saturating_sub(3).max(now)
                } else {
                    last[s].max(now) + rng.index(4) as u64
                };
                last[s] = last[s].max(at);
                plain.push(SimTime(at), i);
                streamed.push_stream(s as u64, SimTime(at), i);
            }
            assert_eq!(plain.len(), streamed.len());
            if rng.index(3) == 0 {
                let (a, b) = (plain.pop(), streamed.pop());
                assert_eq!(a, b);
                if let Some((t, _)) = a {
                    now = now.max(t.as_us());
                }
                popped.0.push(a);
                popped.1.push(b);
            }
        }
        while let Some(a) = plain.pop() {
            assert_eq!(Some(a), streamed.pop());
        }
        assert!(streamed.is_empty() && plain.len() == streamed.len());
        assert!(popped.0.len() > 1_000);
    }
}
