//! A compact in-place heap sort.
//!
//! The standard library's sorts are excellent and large: each element type they are
//! used with adds several kilobytes to the WebAssembly the page downloads. The core
//! sorts only a few things (ids, keys while loading an RDB), where heap sort's
//! O(n log n) worst case is all we need. Not stable: callers that need stability
//! sort by (key, original position).

use std::cmp::Ordering;

/// Sort `v` in place by `cmp` (unstable, O(n log n), no allocation).
pub fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    let n = v.len();
    if n < 2 {
        return;
    }
    for start in (0..n / 2).rev() {
        sift_down(v, start, n, &mut cmp);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

/// Sort `v` in place in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

fn sift_down<T, F: FnMut(&T, &T) -> Ordering>(
    v: &mut [T],
    mut root: usize,
    end: usize,
    cmp: &mut F,
) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && cmp(&v[child], &v[child + 1]) == Ordering::Less {
            child += 1;
        }
        if cmp(&v[root], &v[child]) != Ordering::Less {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library() {
        let mut x: u64 = 88172645463325252;
        for n in [0usize, 1, 2, 3, 10, 100, 1000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 50) as u32
                })
                .collect();
            let mut w = v.clone();
            sort(&mut v);
            w.sort();
            assert_eq!(v, w);
        }
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c')];
        sort_by(&mut pairs, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(pairs, [(2, 'a'), (2, 'c'), (1, 'b')]);
    }
}
