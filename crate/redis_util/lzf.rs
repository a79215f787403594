//! LZF, the compression of RDB strings (Redis vendors liblzf: `src/lzf_c.c`,
//! `src/lzf_d.c`).
//!
//! [`lzf_decompress`] reads any stream liblzf writes. [`lzf_compress`] writes streams
//! liblzf reads, but not necessarily liblzf's own bytes: liblzf's output depends on
//! uninitialised memory in its hash table, so no two builds need agree, and nothing
//! outside the file (offsets count RDB bytes only as one payload) depends on them.

/// LZF literal runs hold 1 to 32 bytes.
const LZF_MAX_LITERAL: usize = 32;
/// LZF back references reach at most 8192 bytes back (13 offset bits).
const LZF_MAX_DISTANCE: usize = 1 << 13;
/// LZF back references copy 3 to 264 bytes (3 length bits, then a byte).
const LZF_MIN_MATCH: usize = 3;
const LZF_MAX_MATCH: usize = 7 + 255 + 2;
/// A back reference of at most 3 bytes yields at most 264 bytes, so no
/// valid stream expands more than 88 times; used to bound allocations.
const LZF_MAX_EXPANSION: usize = 88;

/// Compress `input` into the LZF format liblzf's decompressor reads.
///
/// The format is a sequence of items: `000LLLLL` followed by L+1 literal
/// bytes; `LLLooooo oooooooo` copying L+2 bytes (L = 1..6) from o+1 bytes
/// back; `111ooooo LLLLLLLL oooooooo` copying L+9 bytes. This compressor is
/// greedy with a hash of the next three bytes; it need not produce the same
/// bytes as liblzf (liblzf's own output depends on uninitialised memory),
/// only a stream any LZF decoder expands to `input`.
///
/// # Returns
/// The compressed bytes, or `None` once they would exceed `max_out_bytes`.
pub fn lzf_compress(input: &[u8], max_out_bytes: usize) -> Option<Vec<u8>> {
    // About two slots per input byte keeps collisions rare (liblzf uses 64K
    // slots); small inputs get a small table, since zeroing 64K slots for a
    // 30-byte value would cost more than compressing it.
    let hash_bits = (input.len().next_power_of_two().trailing_zeros() + 1).clamp(4, 16);
    // Slot = last position + 1 whose next three bytes hashed there; 0 = none.
    let mut table = vec![0usize; 1 << hash_bits];
    let hash = |at: usize| -> usize {
        let v =
            u32::from(input[at]) << 16 | u32::from(input[at + 1]) << 8 | u32::from(input[at + 2]);
        (v.wrapping_mul(2_654_435_761) >> (32 - hash_bits)) as usize
    };

    let mut out = Vec::with_capacity(max_out_bytes.min(input.len()));
    let mut literal_start = 0;
    let mut pos = 0;
    while pos + LZF_MIN_MATCH <= input.len() {
        let slot = hash(pos);
        let candidate = table[slot];
        table[slot] = pos + 1;
        let match_len = candidate
            .checked_sub(1)
            .filter(|&from| pos - from <= LZF_MAX_DISTANCE)
            .map(|from| {
                let limit = LZF_MAX_MATCH.min(input.len() - pos);
                (0..limit)
                    .take_while(|&i| input[from + i] == input[pos + i])
                    .count()
            })
            .unwrap_or(0);
        if match_len < LZF_MIN_MATCH {
            pos += 1;
            continue;
        }
        let distance = pos - (candidate - 1);
        lzf_push_literals(&mut out, &input[literal_start..pos]);
        lzf_push_backref(&mut out, distance, match_len);
        if out.len() > max_out_bytes {
            return None;
        }
        // Index only the match's last two positions. Indexing all of them
        // points every slot at the newest copy of repeated data, while the
        // continuation of a repeat usually sits at the match's own distance,
        // reached through the older entries; on mixed test data indexing all
        // positions made the output about 18% larger.
        for inside in (pos + match_len).saturating_sub(2).max(pos + 1)..pos + match_len {
            if inside + LZF_MIN_MATCH <= input.len() {
                table[hash(inside)] = inside + 1;
            }
        }
        pos += match_len;
        literal_start = pos;
    }
    lzf_push_literals(&mut out, &input[literal_start..]);
    (out.len() <= max_out_bytes).then_some(out)
}

/// Append `literals` as LZF literal runs of at most 32 bytes.
fn lzf_push_literals(out: &mut Vec<u8>, literals: &[u8]) {
    for run in literals.chunks(LZF_MAX_LITERAL) {
        out.push((run.len() - 1) as u8);
        out.extend_from_slice(run);
    }
}

/// Append an LZF back reference copying `len` (3..=264) bytes from
/// `distance` (1..=8192) bytes back.
fn lzf_push_backref(out: &mut Vec<u8>, distance: usize, len: usize) {
    let offset = distance - 1;
    let len_code = len - 2;
    let offset_high = (offset >> 8) as u8;
    if len_code < 7 {
        out.push(((len_code as u8) << 5) | offset_high);
    } else {
        out.push((7 << 5) | offset_high);
        out.push((len_code - 7) as u8);
    }
    out.push(offset as u8);
}

/// Expand an LZF stream that must yield exactly `out_len` bytes.
///
/// # Errors
/// A description of the defect when the stream is truncated, refers before
/// the start of the output, or yields more or fewer than `out_len` bytes.
pub fn lzf_decompress(input: &[u8], out_len: usize) -> Result<Vec<u8>, String> {
    // A corrupt header may claim gigabytes; never reserve more than the
    // input could expand to.
    let reserve = out_len.min(input.len().saturating_mul(LZF_MAX_EXPANSION));
    let mut out = Vec::with_capacity(reserve);
    let mut pos = 0;
    while pos < input.len() {
        let ctrl = usize::from(input[pos]);
        pos += 1;
        if ctrl < LZF_MAX_LITERAL {
            let run = ctrl + 1;
            let literals = input
                .get(pos..pos + run)
                .ok_or_else(|| format!("LZF literal run of {run} bytes is truncated"))?;
            if out.len() + run > out_len {
                return Err(format!(
                    "LZF data expands past the declared {out_len} bytes"
                ));
            }
            out.extend_from_slice(literals);
            pos += run;
            continue;
        }
        let mut len = ctrl >> 5;
        if len == 7 {
            len += usize::from(
                *input
                    .get(pos)
                    .ok_or("LZF back reference is truncated".to_string())?,
            );
            pos += 1;
        }
        let low = usize::from(
            *input
                .get(pos)
                .ok_or("LZF back reference is truncated".to_string())?,
        );
        pos += 1;
        let distance = ((ctrl & 0x1f) << 8) + low + 1;
        len += 2;
        if out.len() + len > out_len {
            return Err(format!(
                "LZF data expands past the declared {out_len} bytes"
            ));
        }
        let start = out
            .len()
            .checked_sub(distance)
            .ok_or_else(|| format!("LZF back reference {distance} bytes before the start"))?;
        // Byte by byte: the source may overlap what is being written.
        for i in start..start + len {
            out.push(out[i]);
        }
    }
    if out.len() != out_len {
        return Err(format!(
            "LZF data expands to {} bytes, {out_len} declared",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rng::Rng;

    /// `len` seeded random bytes below `alphabet`.
    fn bytes(rng: &mut Rng, len: usize, alphabet: u64) -> Vec<u8> {
        (0..len).map(|_| rng.below(alphabet) as u8).collect()
    }

    #[test]
    fn lzf_round_trips() {
        let mut rng = Rng::new(42);
        let mut inputs: Vec<Vec<u8>> = vec![
            vec![],
            vec![1],
            vec![0; 3],
            vec![b'a'; 100_000],
            b"abcabcabcabcabcabcabcabcabcabcabcabcabc".to_vec(),
        ];
        for len in [
            1, 2, 3, 4, 31, 32, 33, 64, 263, 264, 265, 1000, 9000, 70_000,
        ] {
            for alphabet in [1, 2, 3, 26, 256] {
                inputs.push(bytes(&mut rng, len, alphabet));
            }
        }
        // Repeats just inside and just beyond the 8192-byte window.
        for gap in [8189, 8190, 8191, 8192, 8193] {
            let block = bytes(&mut rng, 300, 256);
            let mut input = block.clone();
            input.extend(bytes(&mut rng, gap - block.len(), 256));
            input.extend(&block);
            inputs.push(input);
        }
        for input in inputs {
            let compressed = lzf_compress(&input, usize::MAX).unwrap();
            assert_eq!(lzf_decompress(&compressed, input.len()).unwrap(), input);
        }
        // A bounded run gives up instead of exceeding its budget.
        let noise = bytes(&mut Rng::new(3), 500, 256);
        assert_eq!(lzf_compress(&noise, 400), None);
    }

    #[test]
    fn lzf_decodes_the_reference_format() {
        // "abc" as a literal run, then "abc" copied from 3 back (L=1), then
        // 10 bytes copied from 1 back (long form L=8: 0xe0, 8-7=1).
        let stream = [
            0x02, b'a', b'b', b'c', 0x20, 0x02, 0x02, b'x', b'y', b'z', 0xe0, 1, 0,
        ];
        assert_eq!(lzf_decompress(&stream, 19).unwrap(), b"abcabcxyzzzzzzzzzzz");
        // liblzf's own output for "a" * 100, from the strings fixture.
        let liblzf = [0x01, b'a', b'a', 0xe0, 0x57, 0x00, 0x01, b'a', b'a'];
        assert_eq!(lzf_decompress(&liblzf, 100).unwrap(), vec![b'a'; 100]);
    }

    #[test]
    fn lzf_rejects_malformed_streams() {
        let bad: [(&[u8], usize); 6] = [
            (&[0x05, b'a'], 6),             // literal run past the end
            (&[0x00, b'a', 0x20], 4),       // back reference missing its offset
            (&[0x00, b'a', 0xe0, 1], 11),   // long back reference missing offset
            (&[0x00, b'a', 0x20, 0x01], 4), // reaches before the start
            (&[0x01, b'a', b'b'], 1),       // longer than declared
            (&[0x01, b'a', b'b'], 3),       // shorter than declared
        ];
        for (stream, len) in bad {
            assert!(lzf_decompress(stream, len).is_err(), "{stream:?}");
        }
    }
}
