//! Reading what people paste: `INFO` as `redis-cli` prints it (`# Replication` headers,
//! `field:value` lines), the raw RESP bulk string (`$4150` then `\r\n`-separated lines,
//! also with the `\r\n` typed out as escapes), or a monitoring export that kept the
//! `field:value` lines. Anything else on a line (prompts, headers, HTML) is ignored; a
//! paste that holds no `field:value` line at all, a field given twice with two values
//! (two servers in one box) or a control character is refused with a typed error.
//!
//! ```text
//! # Replication
//! role:master
//! master_replid:8f3a…c2
//! master_repl_offset:1200
//! ```
//!
//! Field names are the same in Redis 7.0, Redis 8.0 and Valkey 8.1 (`genRedisInfoString`,
//! `genValkeyInfoString`: Valkey keeps `master_*`/`slave_*` in INFO); the versions differ
//! in `INFO server` (Valkey's `redis_version:7.2.4`, `server_name:valkey`,
//! `valkey_version`) and in fields this reader does not need (Redis 8.0's
//! `replica_full_sync_buffer_size`/`_peak`, Valkey's `replicas_repl_buffer_size`/`_peak`,
//! `replicas_waiting_psync` and `type=replica` on the `slaveN:` lines), as pasted from
//! the real 7.0.15, 8.0.2 and 8.1.1 (tests/explain_samples).

use crate::redis_util::string2ll;
use serde::Serialize;

/// The largest paste accepted (a full `INFO all` of a busy server is about 6 KB).
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// Why a paste cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InputError {
    /// Longer than [`MAX_PASTE_BYTES`].
    TooLarge {
        /// Its length.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A control character (other than tab, CR, LF) on this line.
    ControlCharacter {
        /// 1-based line.
        line: usize,
    },
    /// Not one `field:value` line.
    NotInfo,
    /// A field given twice with different values.
    Conflict {
        /// The field.
        field: String,
        /// Its first value.
        first: String,
        /// Its second value.
        second: String,
    },
    /// A field the explanation needs is not in the paste.
    Missing {
        /// The field (`master_replid`, …).
        field: String,
    },
    /// A field whose value is not what Redis prints there.
    BadValue {
        /// The field.
        field: String,
        /// Its value (at most 60 characters of it).
        value: String,
    },
}

/// The `field:value` pairs of one paste, in their order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Info {
    fields: Vec<(String, String)>,
}

fn is_field_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Undo the escapes of a RESP bulk string copied as text (`"…\r\n…"`): only when the
/// paste has no line breaks of its own.
fn unescape(text: &str) -> Option<String> {
    if text.trim_end().contains('\n') || !text.contains("\\n") {
        return None;
    }
    let t = text.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(t);
    Some(t.replace("\\r\\n", "\n").replace("\\n", "\n"))
}

/// Read one paste.
///
/// # Returns
/// The fields, or the [`InputError`] that refuses the paste.
pub fn parse_info(text: &str) -> Result<Info, InputError> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(InputError::TooLarge {
            bytes: text.len(),
            max: MAX_PASTE_BYTES,
        });
    }
    let owned = unescape(text);
    let text = owned.as_deref().unwrap_or(text);
    let mut info = Info::default();
    for (i, line) in text.split('\n').enumerate() {
        if line
            .chars()
            .any(|c| (c.is_control() && c != '\t' && c != '\r') || c == '\u{7f}')
        {
            return Err(InputError::ControlCharacter { line: i + 1 });
        }
        let Some((name, value)) = line.trim().split_once(':') else {
            continue;
        };
        if !is_field_name(name) {
            continue;
        }
        let value = value.trim();
        match info.get(name) {
            Some(v) if v == value => {}
            Some(v) => {
                return Err(InputError::Conflict {
                    field: name.into(),
                    first: v.into(),
                    second: value.into(),
                })
            }
            None => info.fields.push((name.into(), value.into())),
        }
    }
    if info.fields.is_empty() {
        return Err(InputError::NotInfo);
    }
    Ok(info)
}

fn bad(field: &str, value: &str) -> InputError {
    InputError::BadValue {
        field: field.into(),
        value: value.chars().take(60).collect(),
    }
}

impl Info {
    /// A field's text, if pasted.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }

    /// A field that must be there.
    pub fn text(&self, field: &str) -> Result<&str, InputError> {
        self.get(field).ok_or_else(|| InputError::Missing {
            field: field.into(),
        })
    }

    /// An integer field that must be there (parsed as Redis prints it: `string2ll`).
    pub fn int(&self, field: &str) -> Result<i64, InputError> {
        let v = self.text(field)?;
        string2ll(v.as_bytes()).ok_or_else(|| bad(field, v))
    }

    /// An integer field that may be absent.
    pub fn opt_int(&self, field: &str) -> Result<Option<i64>, InputError> {
        match self.get(field) {
            None => Ok(None),
            Some(_) => self.int(field).map(Some),
        }
    }

    /// A replication id: 40 hexadecimal digits, as Redis prints them.
    pub fn replid(&self, field: &str) -> Result<&str, InputError> {
        let v = self.text(field)?;
        if v.len() == 40 && v.bytes().all(|c| c.is_ascii_hexdigit()) {
            Ok(v)
        } else {
            Err(bad(field, v))
        }
    }

    /// `role`: true for `slave`, false for `master`.
    pub fn is_replica(&self) -> Result<bool, InputError> {
        match self.text("role")? {
            "master" => Ok(false),
            "slave" => Ok(true),
            v => Err(bad("role", v)),
        }
    }

    /// The server and its version from `INFO server`: `Valkey 8.1.1` (Valkey prints
    /// `server_name:valkey` and `valkey_version`, and a compatibility `redis_version`),
    /// `Redis 7.0.15`; None without `INFO server`.
    pub fn product(&self) -> Option<String> {
        if self.is_valkey() {
            return Some(format!(
                "Valkey {}",
                self.get("valkey_version").unwrap_or("?")
            ));
        }
        self.get("redis_version").map(|v| format!("Redis {v}"))
    }

    /// Whether `INFO server` says Valkey (`server_name:valkey` or `valkey_version`).
    pub fn is_valkey(&self) -> bool {
        self.get("server_name") == Some("valkey") || self.get("valkey_version").is_some()
    }

    /// How many fields were read.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when nothing was read (never, for a parsed paste).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "8f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6fc2";

    #[test]
    fn redis_cli_resp_and_escaped_forms_read_the_same() {
        let cli = format!("127.0.0.1:6379> INFO replication\n# Replication\nrole:master\nconnected_slaves:0\nmaster_replid:{ID}\nmaster_repl_offset:1200\n");
        let resp = format!("$90\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_replid:{ID}\r\nmaster_repl_offset:1200\r\n");
        let escaped = format!("\"# Replication\\r\\nrole:master\\r\\nconnected_slaves:0\\r\\nmaster_replid:{ID}\\r\\nmaster_repl_offset:1200\\r\\n\"");
        let export = format!(
            "  role: master\n connected_slaves:0\nmaster_replid:{ID}\nmaster_repl_offset:1200"
        );
        let want = parse_info(&cli).unwrap();
        assert_eq!(want.len(), 4);
        assert_eq!(want.int("master_repl_offset"), Ok(1200));
        assert_eq!(want.replid("master_replid"), Ok(ID));
        for other in [resp, escaped, export] {
            assert_eq!(parse_info(&other).unwrap(), want, "{other:?}");
        }
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        assert_eq!(
            parse_info(&"x".repeat(MAX_PASTE_BYTES + 1)),
            Err(InputError::TooLarge {
                bytes: MAX_PASTE_BYTES + 1,
                max: MAX_PASTE_BYTES
            })
        );
        assert_eq!(
            parse_info("role:master\nmaster_repl_offset:1\u{1b}[2J"),
            Err(InputError::ControlCharacter { line: 2 })
        );
        assert_eq!(
            parse_info("<html><script>alert(1)</script></html>"),
            Err(InputError::NotInfo)
        );
        assert!(matches!(
            parse_info("role:master\nrole:slave"),
            Err(InputError::Conflict { .. })
        ));
        let i = parse_info("role:leader\nmaster_repl_offset:12x\nmaster_replid:<b>").unwrap();
        assert!(matches!(i.is_replica(), Err(InputError::BadValue { .. })));
        assert!(matches!(
            i.int("master_repl_offset"),
            Err(InputError::BadValue { .. })
        ));
        assert!(matches!(
            i.replid("master_replid"),
            Err(InputError::BadValue { .. })
        ));
        assert_eq!(
            i.int("second_repl_offset"),
            Err(InputError::Missing {
                field: "second_repl_offset".into()
            })
        );
    }

    #[test]
    fn products() {
        let v =
            parse_info("redis_version:7.2.4\nserver_name:valkey\nvalkey_version:8.1.1").unwrap();
        assert_eq!(v.product().as_deref(), Some("Valkey 8.1.1"));
        let r = parse_info("redis_version:8.0.2\nredis_mode:standalone").unwrap();
        assert_eq!(r.product().as_deref(), Some("Redis 8.0.2"));
        assert_eq!(parse_info("role:master").unwrap().product(), None);
    }
}
