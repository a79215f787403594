//! LZF, the compression of RDB strings (Redis vendors liblzf: `src/lzf_c.c`,
//! `src/lzf_d.c`).
//!
//! [`lzf_decompress`] reads any stream liblzf writes. [`lzf_compress`] writes the
//! very bytes Redis 7.0's build of liblzf writes (`HLOG` 16, `VERY_FAST`), and gives
//! up exactly where it does, so an RDB holds the same bytes as a real server's.

/// LZF literal runs hold 1 to 32 bytes.
const LZF_MAX_LITERAL: usize = 32;
/// LZF back references reach at most 8192 bytes back (13 offset bits).
const LZF_MAX_DISTANCE: usize = 1 << 13;
/// liblzf's longest back reference (`MAX_REF`): 264 bytes, so its length
/// minus 2 fits in 3 bits plus a byte.
const LZF_MAX_MATCH: usize = 264;
/// A back reference of at most 3 bytes yields at most 264 bytes, so no
/// valid stream expands more than 88 times; used to bound allocations.
const LZF_MAX_EXPANSION: usize = 88;
/// liblzf's hash table: `1 << HLOG` slots, `HLOG` 16 in Redis's `lzfP.h`.
const LZF_HASH_SLOTS: usize = 1 << 16;

/// liblzf's hash slot (`IDX` of `VERY_FAST`) for the three bytes at `at`.
fn lzf_slot(input: &[u8], at: usize) -> usize {
    let h = u32::from(input[at]) << 16 | u32::from(input[at + 1]) << 8 | u32::from(input[at + 2]);
    ((h >> 8).wrapping_sub(h.wrapping_mul(5)) & 0xffff) as usize
}

/// Compress `input` as Redis's liblzf does (`lzf_compress`), byte for byte,
/// into at most `out_len` bytes.
///
/// The format is a sequence of items: `000LLLLL` followed by L+1 literal
/// bytes; `LLLooooo oooooooo` copying L+2 bytes (L = 1..6) from o+1 bytes
/// back; `111ooooo LLLLLLLL oooooooo` copying L+9 bytes. liblzf's choices:
///
/// - a table of 64K slots, each the last position whose next three bytes hash
///   there (every position it steps over one by one, and after a match only the
///   match's last two); a slot is tried only when those three bytes are equal,
///   the distance is at most 8192 and the position is not the first byte
///   (liblzf's test is `ref > in_data`, so offset 0 is never referenced);
/// - a match is extended greedily up to 264 bytes, and to 2 bytes before the end
///   of the input, except that it always has 3, and that liblzf compares 16 more
///   before it first checks that limit, so with 19 or 20 bytes left it may
///   reach 19;
/// - within 2 bytes of the end, the rest are literals.
///
/// ```text
/// "a" × 100 → 01 61 61  e0 57 00  01 61 61   ("aa", 96 from 1 back, "aa")
/// ```
///
/// `table` is the hash table, of any contents, grown to 64K slots on first use:
/// pass the same one to successive calls to spare its allocation. liblzf leaves
/// its own uninitialised (`INIT_HTAB` 0), and that is safe: a slot is taken only
/// when its three bytes equal those at the current position, and the first
/// position of any three bytes is always entered (it is either stepped over,
/// the first of a match, or one of its last two), so a slot left from before is
/// overwritten before it could match.
///
/// # Returns
/// The compressed bytes, or `None` where liblzf returns 0: an empty input or
/// `out_len`, or output that might not fit in `out_len` bytes (liblzf checks
/// conservatively: a back reference needs 5 bytes free, a literal 1, and the
/// last 2 bytes of the input 3).
pub fn lzf_compress(input: &[u8], out_len: usize, table: &mut Vec<usize>) -> Option<Vec<u8>> {
    let len = input.len();
    if len == 0 || out_len == 0 {
        return None;
    }
    // Slot = the last position entered there.
    table.resize(LZF_HASH_SLOTS, 0);
    // `out` always ends with the current literal run: its header byte (written
    // when the run closes) and `lit` literals. liblzf counts that header in the
    // space it checks, even while the run is empty.
    let mut out = Vec::with_capacity(out_len.min(len + len / LZF_MAX_LITERAL + 1));
    out.push(0);
    let mut lit = 0;
    let mut ip = 0;
    while ip + 2 < len {
        let slot = lzf_slot(input, ip);
        let candidate = table[slot];
        table[slot] = ip;
        // (A candidate at or after `ip` is one left from an earlier call.)
        if candidate == 0
            || candidate >= ip
            || ip - candidate > LZF_MAX_DISTANCE
            || input[candidate..candidate + 3] != input[ip..ip + 3]
        {
            if out.len() >= out_len {
                return None;
            }
            lzf_push_literal(&mut out, &mut lit, input[ip]);
            ip += 1;
            continue;
        }
        lzf_close_run(&mut out, lit);
        if out.len() + 4 >= out_len {
            return None;
        }
        let max_len = (len - ip - 2).min(LZF_MAX_MATCH);
        let limit = if max_len > 16 {
            max_len.max(19)
        } else {
            max_len
        };
        let mut match_len = 3;
        while match_len < limit && input[candidate + match_len] == input[ip + match_len] {
            match_len += 1;
        }
        let offset = ip - candidate - 1;
        let len_code = match_len - 2;
        if len_code < 7 {
            out.push((len_code << 5 | offset >> 8) as u8);
        } else {
            out.push((7 << 5 | offset >> 8) as u8);
            out.push((len_code - 7) as u8);
        }
        out.extend([offset as u8, 0]);
        lit = 0;
        ip += match_len;
        if ip + 2 >= len {
            break;
        }
        for at in ip - 2..ip {
            table[lzf_slot(input, at)] = at;
        }
    }
    if out.len() + 3 > out_len {
        return None;
    }
    for &byte in &input[ip..] {
        lzf_push_literal(&mut out, &mut lit, byte);
    }
    lzf_close_run(&mut out, lit);
    Some(out)
}

/// End the literal run of `lit` bytes at the end of `out`: write its header,
/// or drop the header when the run is empty.
fn lzf_close_run(out: &mut Vec<u8>, lit: usize) {
    if lit == 0 {
        out.pop();
    } else {
        let header = out.len() - lit - 1;
        out[header] = (lit - 1) as u8;
    }
}

/// Append one literal to the open run, closing it at 32 and opening the next.
fn lzf_push_literal(out: &mut Vec<u8>, lit: &mut usize, byte: u8) {
    out.push(byte);
    *lit += 1;
    if *lit == LZF_MAX_LITERAL {
        lzf_close_run(out, *lit);
        out.push(0);
        *lit = 0;
    }
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

    /// [`lzf_compress`] with a table of its own.
    fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
        lzf_compress(input, out_len, &mut Vec::new())
    }

    /// `len` seeded random bytes below `alphabet`.
    fn bytes(rng: &mut Rng, len: usize, alphabet: u64) -> Vec<u8> {
        (0..len).map(|_| rng.below(alphabet) as u8).collect()
    }

    #[test]
    fn lzf_round_trips() {
        let mut rng = Rng::new(42);
        // liblzf returns 0 (failure) for an empty input; Redis never asks.
        assert_eq!(compress(&[], usize::MAX), None);
        let mut inputs: Vec<Vec<u8>> = vec![
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
            let compressed = compress(&input, usize::MAX).unwrap();
            assert_eq!(lzf_decompress(&compressed, input.len()).unwrap(), input);
        }
        // A bounded run gives up instead of exceeding its budget.
        let noise = bytes(&mut Rng::new(3), 500, 256);
        assert_eq!(compress(&noise, 400), None);
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Strings a real Redis 7.0.15 saved, with the LZF payload of each in its
    /// RDB (fetched with `redis-cli --rdb`), or `None` where it saved the
    /// string verbatim: compressing into `len - 4` bytes failed.
    fn real_vectors() -> Vec<(Vec<u8>, Option<&'static str>)> {
        let json: Vec<u8> = (0..5)
            .flat_map(|i| {
                format!(r#"{{"id":{i},"name":"user{i}","tags":["a","b"]}},"#).into_bytes()
            })
            .collect();
        vec![
            (vec![b'a'; 100], Some("016161e05700016161")),
            // 19 or 20 bytes after the match's start: it takes 19 of them.
            (vec![b'a'; 21], Some("016161e00a00")),
            (vec![b'a'; 22], Some("016161e00a000061")),
            (vec![b'a'; 23], Some("016161e00a00016161")),
            (vec![b'x'; 50], Some("017878e02500017878")),
            (
                vec![b'x'; 1000],
                Some("017878e0ff00e0ff00e0ff00e0c300017878"),
            ),
            (
                b"abcdefgh".repeat(40),
                Some("08616263646566676861e0ff07e12407016768"),
            ),
            (
                b"the quick brown fox jumps over the lazy dog; ".repeat(6),
                Some(
                    "1f74686520717569636b2062726f776e20666f78206a756d7073206f7665722074\
                     201e086c617a7920646f673b600de0d22c013b20",
                ),
            ),
            (
                json,
                Some(
                    "1f7b226964223a302c226e616d65223a227573657230222c2274616773223a5b22\
                     0061200b0562225d7d2c7b60280031e004280031201ce00e280032e004280032e0\
                     11280033e004280033e011280034e004280034e00a28002c",
                ),
            ),
            // 16 and 17 bytes would fit in 17 and 20, but liblzf gives up first.
            (b"babaaaaaaaabaaabbabba".to_vec(), None),
            (b"bbaabaabababbbaaabbbabab".to_vec(), None),
            (b"Zq8#kP2!vL9@xW4$mN7%bR1^tY6&cJ".to_vec(), None),
        ]
    }

    #[test]
    fn lzf_compress_writes_what_redis_writes() {
        for (input, want) in real_vectors() {
            let got = compress(&input, input.len() - 4);
            let want = want.map(|hex| unhex(&hex.replace(' ', "")));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&input));
            if let Some(stream) = &got {
                assert_eq!(lzf_decompress(stream, input.len()).unwrap(), input);
            }
        }
    }

    #[test]
    fn lzf_compress_gives_up_where_liblzf_does() {
        // "a" × 100 takes 9 bytes, but liblzf wants room to spare: "aa" and
        // the back reference make 6 bytes and the next run's header a 7th,
        // and the last 2 input bytes want 3 more free.
        let run = vec![b'a'; 100];
        assert_eq!(compress(&run, 10).map(|out| out.len()), Some(9));
        assert_eq!(compress(&run, 9), None);
        // A back reference wants 5 bytes free after what precedes it ("aa" and
        // its header).
        assert_eq!(compress(&run, 8).map(|out| out.len()), None);
        assert_eq!(compress(&run, 7), None);
        // 21 literals take 22 bytes, and the same 3 spare at the end.
        let letters = b"abcdefghijklmnopqrstu";
        assert_eq!(compress(letters, 23).map(|out| out.len()), Some(22));
        assert_eq!(compress(letters, 22), None);
        assert_eq!(compress(&run, 0), None);
    }

    #[test]
    fn lzf_compress_ignores_what_its_table_held() {
        // liblzf never clears its table; neither do we. Whatever a slot holds,
        // the output is that of an empty table.
        let mut rng = Rng::new(11);
        for len in [3, 21, 100, 1000, 20_000] {
            for alphabet in [1, 2, 4, 256] {
                let input = bytes(&mut rng, len, alphabet);
                let mut clean = Vec::new();
                let want = lzf_compress(&input, usize::MAX, &mut clean);
                let mut dirty: Vec<usize> = (0..LZF_HASH_SLOTS)
                    .map(|_| rng.below(len as u64 + 9000) as usize)
                    .collect();
                assert_eq!(lzf_compress(&input, usize::MAX, &mut dirty), want);
                // Left as a previous value (the same bytes shifted) leaves it.
                let mut shifted = Vec::new();
                lzf_compress(&input[len / 3..], usize::MAX, &mut shifted);
                assert_eq!(lzf_compress(&input, usize::MAX, &mut shifted), want);
            }
        }
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
