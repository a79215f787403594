//! Helpers of Redis's `src/util.c`: [`string2ll`], [`memtoull`], [`stringmatchlen`].

/// Redis's `LONG_STR_SIZE`: `string2ll` refuses a text this long or longer.
const LONG_STR_SIZE: usize = 21;

/// Redis's `string2ll`: the text must be exactly a `long long` as `%lld` prints it: an
/// optional `-`, then digits without a leading zero (`0` alone is fine, `-0` is not),
/// nothing else (no spaces, no `+`), fewer than 21 bytes, within `i64`. `None` is
/// Redis's parse error.
///
/// Because of that strictness a text it accepts prints back unchanged, which is why
/// Redis uses it to decide integer encodings (RDB, object encodings) as well as to
/// parse command arguments and RESP lengths.
///
/// ```text
/// "-9223372036854775808" -> i64::MIN     "0" -> 0
/// "9223372036854775808", "-0", "007", "+1", " 1", "1 ", "", "-"  -> None
/// ```
pub fn string2ll(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() >= LONG_STR_SIZE {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    // The first digit is 1-9; a lone "-" has none.
    if !matches!(digits.first(), Some(b'1'..=b'9')) {
        return None;
    }
    // Up to 20 digits can still overflow u64 (C checks `v > ULLONG_MAX / 10`).
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        // -(2^63) is the one magnitude that fits only when negative.
        (v <= i64::MIN.unsigned_abs()).then(|| 0i64.wrapping_sub_unsigned(v))
    } else {
        i64::try_from(v).ok()
    }
}

/// Redis's `memtoull`: digits then an optional unit (b, k, kb, m, mb, g, gb; any case;
/// k = 1000, kb = 1024). `None` is Redis's parse error.
///
/// Faithful to the C: no digits means 0 (`""` and `"kb"` parse as 0), a leading `-` is an
/// error but a leading `+` or space is an error only because it is not a unit, digits
/// beyond `u64` saturate, and the unit multiplication wraps.
pub fn memtoull(s: &[u8]) -> Option<u64> {
    if s.first() == Some(&b'-') {
        return None;
    }
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = s[digits..].to_ascii_lowercase();
    let multiplier: u64 = match unit.as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // Redis copies the digits into a 128-byte buffer first.
    if digits >= 128 {
        return None;
    }
    let value = s[..digits].iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    Some(value.wrapping_mul(multiplier))
}

/// Redis's `stringmatchlen` glob: `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escapes, with
/// an optional case-insensitive mode (ASCII only). Also used by `KEYS`.
///
/// Quirks kept on purpose because `KEYS` users meet them: an unterminated `[` class ends
/// at the end of the pattern, `[z-a]` is the same range as `[a-z]`, `\x` inside a class
/// compares case-sensitively even in nocase mode, and bytes above 0x7f compare as C's
/// signed `char` in ranges.
///
/// Like `stringmatchlen`, it never matches an empty string, even with `*`: Redis's `KEYS`
/// and `SCAN` treat a lone `*` as "everything" before calling it, and a `KEYS`
/// implementation must do the same to list the empty key.
///
/// ```text
/// stringmatchlen(b"repl-*", b"repl-timeout", false)  -> true
/// stringmatchlen(b"*", b"", false)                   -> false
/// stringmatchlen(b"[rs]ave", b"save", false)         -> true
/// stringmatchlen(b"a\\*", b"a*", false)              -> true
/// ```
pub fn stringmatchlen(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    glob_from(pattern, string, nocase, &mut skip_longer)
}

/// One step of `stringmatchlen_impl`. `skip_longer` is Redis's `skipLongerMatches`: once a
/// `*` has failed to place the rest of the pattern anywhere in the string, no earlier `*`
/// can succeed by matching more, which bounds the work on patterns like `*a*a*a*b`.
fn glob_from(pattern: &[u8], string: &[u8], nocase: bool, skip_longer: &mut bool) -> bool {
    // C reads the terminating NUL when it looks one byte past the end.
    let at = |i: usize| pattern.get(i).copied().unwrap_or(0);
    let lower = |b: i32| {
        if (i32::from(b'A')..=i32::from(b'Z')).contains(&b) {
            b + 32
        } else {
            b
        }
    };
    // C's `char` is signed on the platforms Redis ships for; ranges compare that way.
    let signed = |b: u8| i32::from(b as i8);
    let (mut p, mut s) = (0usize, 0usize);
    while p < pattern.len() && s < string.len() {
        match pattern[p] {
            b'*' => {
                while p < pattern.len() && at(p + 1) == b'*' {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                while s < string.len() {
                    if glob_from(&pattern[p + 1..], &string[s..], nocase, skip_longer) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                p += 1;
                let negate = at(p) == b'^';
                if negate {
                    p += 1;
                }
                let c = string[s];
                let mut matched = false;
                loop {
                    if at(p) == b'\\' && pattern.len() - p >= 2 {
                        p += 1;
                        if pattern[p] == c {
                            matched = true;
                        }
                    } else if at(p) == b']' {
                        break;
                    } else if p >= pattern.len() {
                        // Unterminated class: step back so the shared `p += 1` below
                        // lands exactly on the end.
                        p -= 1;
                        break;
                    } else if pattern.len() - p >= 3 && pattern[p + 1] == b'-' {
                        let (mut start, mut end) = (signed(pattern[p]), signed(pattern[p + 2]));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        let mut ch = signed(c);
                        if nocase {
                            start = lower(start);
                            end = lower(end);
                            ch = lower(ch);
                        }
                        p += 2;
                        if (start..=end).contains(&ch) {
                            matched = true;
                        }
                    } else if nocase {
                        if lower(i32::from(pattern[p])) == lower(i32::from(c)) {
                            matched = true;
                        }
                    } else if pattern[p] == c {
                        matched = true;
                    }
                    p += 1;
                }
                if negate {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s += 1;
            }
            first => {
                let mut b = first;
                if first == b'\\' && pattern.len() - p >= 2 {
                    p += 1;
                    b = pattern[p];
                }
                let equal = if nocase {
                    lower(i32::from(b)) == lower(i32::from(string[s]))
                } else {
                    b == string[s]
                };
                if !equal {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == string.len() {
            while p < pattern.len() && pattern[p] == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pattern.len() && s == string.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redis's own answer for `s`: a strict `%lld` round trip, as `string2ll`'s
    /// comment promises ("obtain back the string from the number without any loss").
    fn print_back(s: &[u8]) -> Option<i64> {
        let text = std::str::from_utf8(s).ok()?;
        let value: i64 = text.parse().ok()?;
        (value.to_string() == text).then_some(value)
    }

    #[test]
    fn string2ll_edges() {
        assert_eq!(string2ll(b"0"), Some(0));
        assert_eq!(string2ll(b"-12"), Some(-12));
        assert_eq!(string2ll(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(string2ll(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b"9223372036854775808"[..],
            b"-9223372036854775809",
            b"18446744073709551615",
            b"18446744073709551616",
            b"-18446744073709551616",
            b"99999999999999999999",
            b"100000000000000000000",
            b"-100000000000000000000",
            b"000000000000000000001",
            b"01",
            b"00",
            b"-0",
            b"-01",
            b"+1",
            b"+0",
            b" 1",
            b"1 ",
            b"\t1",
            b"",
            b"-",
            b"--1",
            b"1a",
            b"1\0",
            b"1.0",
        ] {
            assert_eq!(string2ll(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn string2ll_accepts_exactly_what_prints_back() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        // A fixed xorshift, so the cases are the same on every run.
        let mut x: u64 = 11;
        let mut below = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..20_000 {
            let len = below(23);
            cases.push((0..len).map(|_| b"-+0123456789 x"[below(14)]).collect());
        }
        for n in [i64::MIN, i64::MIN + 1, -1, 1, i64::MAX - 1, i64::MAX] {
            cases.push(n.to_string().into_bytes());
        }
        for case in cases {
            assert_eq!(
                string2ll(&case),
                print_back(&case),
                "{:?}",
                String::from_utf8_lossy(&case)
            );
        }
    }

    #[test]
    fn memtoull_follows_the_c() {
        assert_eq!(memtoull(b"1gb"), Some(1 << 30));
        assert_eq!(memtoull(b"1G"), Some(1_000_000_000));
        assert_eq!(memtoull(b"2Kb"), Some(2048));
        assert_eq!(memtoull(b"16kb"), Some(16384));
        assert_eq!(memtoull(b"7b"), Some(7));
        assert_eq!(memtoull(b""), Some(0));
        assert_eq!(memtoull(b"mb"), Some(0));
        assert_eq!(memtoull(b"-1"), None);
        assert_eq!(memtoull(b"+1"), None);
        assert_eq!(memtoull(b" 1"), None);
        assert_eq!(memtoull(b"1 kb"), None);
        assert_eq!(memtoull(b"1kib"), None);
        assert_eq!(memtoull(b"99999999999999999999"), Some(u64::MAX));
        assert_eq!(memtoull(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(
            memtoull(b"18446744073709551615kb"),
            Some(u64::MAX.wrapping_mul(1024))
        );
        assert_eq!(
            memtoull(&[b'1'; 128]),
            None,
            "Redis copies at most 127 digits"
        );
    }

    #[test]
    fn glob_matches_like_stringmatchlen() {
        let cases: &[(&str, &str, bool, bool)] = &[
            // stringmatchlen never matches an empty string, not even with `*` (KEYS `*`
            // lists the empty key only through its match-all shortcut; KEYS `**` does not).
            ("*", "", false, false),
            ("**", "", false, false),
            ("*", "anything", false, true),
            ("repl-*", "repl-timeout", false, true),
            ("repl-*", "replicaof", false, false),
            ("*max*", "min-replicas-max-lag", false, true),
            ("[rs]ave", "save", false, true),
            ("[rs]ave", "rave", false, true),
            ("[rs]ave", "gave", false, false),
            ("[^s]ave", "save", false, false),
            ("[^s]ave", "rave", false, true),
            ("[a-c]x", "bx", false, true),
            ("[c-a]x", "bx", false, true),
            ("[a-c]x", "Bx", false, false),
            ("[a-c]x", "Bx", true, true),
            ("h?llo", "hello", false, true),
            ("h?llo", "hllo", false, false),
            ("a\\*", "a*", false, true),
            ("a\\*", "ab", false, false),
            ("[\\]]", "]", false, true),
            ("[\\a]", "A", true, false),
            ("[abc", "a", false, true),
            ("[abc", "d", false, false),
            ("a*b*c", "aXbYc", false, true),
            ("a*b*c", "aXbY", false, false),
            (
                "*a*a*a*a*a*a*b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                false,
                false,
            ),
            ("PORT", "port", true, true),
            ("PORT", "port", false, false),
            ("a**", "a", false, true),
            ("", "", false, true),
            ("", "a", false, false),
            ("a", "", false, false),
            ("\\", "\\", false, true),
            ("ab\\", "ab\\", false, true),
            ("\\", "a", false, false),
            ("?", "", false, false),
            ("[", "[", false, false),
            ("[^", "a", false, true),
            ("[a-", "a", false, true),
            ("[a-", "-", false, true),
            ("x[]", "x]", false, false),
        ];
        for &(pattern, string, nocase, expected) in cases {
            assert_eq!(
                stringmatchlen(pattern.as_bytes(), string.as_bytes(), nocase),
                expected,
                "{pattern:?} vs {string:?} nocase={nocase}"
            );
        }
        // Signed-char ranges: 0xe9 is negative in C, inside [\x80-a] after the swap.
        assert!(stringmatchlen(b"[a-\x80]", b"\xe9", false));
    }
}
