//! The C library calls Redis makes on strings, as glibc answers them in the "C" locale.

/// C's `isspace` in the "C" locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
pub fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The bytes a C function sees when handed `bytes` as a string: everything before the
/// first NUL.
pub fn cstr(bytes: &[u8]) -> &[u8] {
    bytes
        .iter()
        .position(|&b| b == 0)
        .map_or(bytes, |end| &bytes[..end])
}

/// C's `strtoll(s, &end, 10)` on a NUL-free string: leading spaces, an optional sign,
/// decimal digits, saturating at the `i64` limits (Redis ignores `ERANGE`). Returns the
/// value and whether the whole string was consumed (`*end == '\0'`); with no digits the
/// value is 0 and only an empty string counts as consumed (`end` is left at `s`).
pub fn strtoll(s: &[u8]) -> (i64, bool) {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let start = i;
    let mut magnitude: u64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        magnitude = magnitude
            .saturating_mul(10)
            .saturating_add(u64::from(s[i] - b'0'));
        i += 1;
    }
    if i == start {
        return (0, s.is_empty());
    }
    let value = if negative {
        0i64.checked_sub_unsigned(magnitude).unwrap_or(i64::MIN)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    };
    (value, i == s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_c_space_is_the_c_locale_set() {
        let spaces: Vec<u8> = (0..=255u8).filter(|&b| is_c_space(b)).collect();
        assert_eq!(spaces, b"\t\n\x0b\x0c\r ");
    }

    #[test]
    fn cstr_stops_at_the_first_nul() {
        assert_eq!(cstr(b"ab\0cd\0"), b"ab");
        assert_eq!(cstr(b"\0"), b"");
        assert_eq!(cstr(b"abc"), b"abc");
    }

    #[test]
    fn strtoll_follows_glibc() {
        assert_eq!(strtoll(b" +12"), (12, true));
        assert_eq!(strtoll(b"\t\n-12"), (-12, true));
        assert_eq!(strtoll(b"12x"), (12, false));
        assert_eq!(strtoll(b"12 "), (12, false));
        assert_eq!(strtoll(b""), (0, true));
        assert_eq!(strtoll(b"-"), (0, false));
        assert_eq!(strtoll(b"+"), (0, false));
        assert_eq!(strtoll(b"  "), (0, false));
        assert_eq!(strtoll(b"-0"), (0, true));
        assert_eq!(strtoll(b"007"), (7, true));
        assert_eq!(strtoll(b"9223372036854775807"), (i64::MAX, true));
        assert_eq!(strtoll(b"9223372036854775808"), (i64::MAX, true));
        assert_eq!(strtoll(b"-9223372036854775808"), (i64::MIN, true));
        assert_eq!(strtoll(b"-9223372036854775809"), (i64::MIN, true));
        assert_eq!(strtoll(b"99999999999999999999"), (i64::MAX, true));
        assert_eq!(strtoll(b"-99999999999999999999"), (i64::MIN, true));
        assert_eq!(strtoll(b"+-1"), (0, false));
    }
}
