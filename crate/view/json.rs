//! The views as JSON text for the page, in fewer bytes of wasm than `serde_json`.
//!
//! The output is `serde_json::to_string`'s, byte for byte, for every value the views
//! hold (the tests below compare the two on whole runs). What differs is the code: here
//! the per-type part of serializing a field or an element is one call (its name, then
//! its value), and writing a number, a string or a separator is shared by every type,
//! where `serde_json`'s generic writer is copied into each view type's code. Floats are
//! refused (the views have none: the core formats no floats), which keeps float
//! formatting out of the wasm.

use serde::ser::{self, Serialize};

/// Compact JSON, as `serde_json::to_string` writes it; None for a value with a float
/// or a map key that is not a string, a number or a bool (the views have neither).
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    let mut w = Writer(String::new());
    v.serialize(&mut w).ok()?;
    Some(w.0)
}

/// Appends one value's JSON to `out` (a trace line, say); false (and `out` partly
/// written) for a value `to_string` refuses.
pub fn write<T: Serialize + ?Sized>(out: &mut String, v: &T) -> bool {
    let mut w = Writer(std::mem::take(out));
    let ok = v.serialize(&mut w).is_ok();
    *out = w.0;
    ok
}

/// A value the views never hold.
#[derive(Debug)]
pub struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value JSON views do not hold")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

struct Writer(String);

impl Writer {
    fn uint(&mut self, v: u64) {
        for &d in crate::resp::decimal(v, &mut [0; 20]) {
            self.0.push(d as char);
        }
    }

    fn int(&mut self, v: i64) {
        if v < 0 {
            self.0.push('-');
        }
        self.uint(v.unsigned_abs());
    }

    /// A string with `serde_json`'s escapes: `\"`, `\\`, the short forms of
    /// backspace, tab, newline, form feed and carriage return, `\u00xx` for the other
    /// control characters; everything else as it is.
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let out = &mut self.0;
        out.push('"');
        let mut from = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            let short = match b {
                b'"' => '"',
                b'\\' => '\\',
                0x08 => 'b',
                b'\t' => 't',
                b'\n' => 'n',
                0x0c => 'f',
                b'\r' => 'r',
                0..=0x1f => 'u',
                _ => continue,
            };
            out.push_str(&s[from..i]);
            out.push('\\');
            out.push(short);
            if short == 'u' {
                out.push_str("00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
            from = i + 1;
        }
        out.push_str(&s[from..]);
        out.push('"');
    }

    /// Opens a compound value: `{"variant":` first for an enum's variant.
    fn open(&mut self, variant: Option<&str>, bracket: char) {
        if let Some(v) = variant {
            self.0.push('{');
            self.string(v);
            self.0.push(':');
        }
        self.0.push(bracket);
    }
}

/// An array or an object being written; `close` ends it (`]}` or `}}` after a variant).
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.0.push(',');
        }
        self.first = false;
    }

    fn key(&mut self, key: &str) {
        self.comma();
        self.w.string(key);
        self.w.0.push(':');
    }

    fn end(self) -> Result<(), Unsupported> {
        self.w.0.push_str(self.close);
        Ok(())
    }
}

impl Writer {
    fn compound(
        &mut self,
        variant: Option<&str>,
        bracket: char,
        close: &'static str,
    ) -> Compound<'_> {
        self.open(variant, bracket);
        Compound {
            w: self,
            first: true,
            close,
        }
    }
}

type Done = Result<(), Unsupported>;

/// The serializer's narrower integers, each written as its widened form.
macro_rules! widened {
    ($($($name:ident($t:ty)),+ => $wide:ident;)+) => {
        $($(
            fn $name(self, v: $t) -> Done {
                self.$wide(v.into())
            }
        )+)+
    };
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Done {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    widened! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32) => serialize_i64;
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32) => serialize_u64;
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.int(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.uint(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Done {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Done {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Done {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        let mut seq = self.compound(None, '[', "]");
        for &b in v {
            seq.comma();
            seq.w.uint(b.into());
        }
        seq.end()
    }
    fn serialize_none(self) -> Done {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Done {
        self.0.push('{');
        self.string(variant);
        self.0.push(':');
        v.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(None, '[', "]"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(None, '[', "]"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(None, '[', "]"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(Some(variant), '[', "]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(None, '{', "}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(None, '{', "}"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        Ok(self.compound(Some(variant), '{', "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Done {
        self.comma();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    /// As `serde_json`: a string key as it is, a number or a bool in quotes.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.comma();
        let at = self.w.0.len();
        key.serialize(&mut *self.w)?;
        match self.w.0.as_bytes().get(at) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                self.w.0.insert(at, '"');
                self.w.0.push('"');
            }
            _ => return Err(Unsupported),
        }
        self.w.0.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Done {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Done {
        self.key(key);
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

/// The forms written as another: the tuples as arrays, element by element like a
/// sequence; a struct variant's fields as a struct's.
macro_rules! written_as {
    ($($trait:ident :: $method:ident ($($k:ident: $kt:ty)?) => $to:ident :: $to_method:ident),+ $(,)?) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, $($k: $kt,)? v: &T) -> Done {
                ser::$to::$to_method(self, $($k,)? v)
            }
            fn end(self) -> Done {
                Compound::end(self)
            }
        }
    )+};
}

written_as!(
    SerializeTuple::serialize_element() => SerializeSeq::serialize_element,
    SerializeTupleStruct::serialize_field() => SerializeSeq::serialize_element,
    SerializeTupleVariant::serialize_field() => SerializeSeq::serialize_element,
    SerializeStructVariant::serialize_field(key: &'static str) => SerializeStruct::serialize_field,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize + ?Sized>(v: &T) {
        assert_eq!(to_string(v), Some(serde_json::to_string(v).unwrap()));
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(i32, bool),
        Struct { a: Option<u8>, b: Vec<()> },
    }

    #[derive(Serialize)]
    #[serde(tag = "t", content = "c")]
    enum Adjacent {
        A(String),
        B { x: i64 },
    }

    #[derive(Serialize)]
    #[serde(tag = "t")]
    enum Internal {
        A,
        B { x: i64 },
        C(Inner),
    }

    #[derive(Serialize)]
    struct Inner {
        y: u64,
    }

    #[test]
    fn same_as_serde_json() {
        let all_bytes: String = (0u8..=0x7f).map(char::from).collect();
        same(&all_bytes);
        same("é \u{2028} \u{7f} 漢字 😀 \"q\" \\");
        same(&[i64::MIN, -1, 0, 1, i64::MAX]);
        same(&[0, u64::MAX]);
        same(&(1u8, -2i16, 3u32, 'x', '\n', (), None::<u8>, Some("s")));
        same(&[
            E::Unit,
            E::New(7),
            E::Tuple(-3, true),
            E::Struct {
                a: None,
                b: vec![(), ()],
            },
        ]);
        same(&[Adjacent::A("a".into()), Adjacent::B { x: -5 }]);
        same(&[
            Internal::A,
            Internal::B { x: 9 },
            Internal::C(Inner { y: 1 }),
        ]);
        same(&Vec::<Inner>::new());
        same(&BTreeMap::from([("k\"", 1), ("", 2)]));
        same(&BTreeMap::from([(-1, "a"), (2, "b")]));
        same(&BTreeMap::from([(true, 1)]));
        same(&BTreeMap::<String, u8>::new());
        same(&Bytes(&[0, 255]));
    }

    /// A byte string, as a `serialize_with` for `&[u8]` would write it.
    struct Bytes<'a>(&'a [u8]);

    impl Serialize for Bytes<'_> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    /// Every record the page reads, from every scenario the tests play and every pair
    /// of INFO samples: the same bytes as `serde_json` (what the page's `JSON.parse`
    /// and `replscope run --trace` see).
    #[test]
    fn the_views_of_every_scenario_are_serde_json_s() {
        fn files(dir: &std::path::Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    files(&p, ext, out);
                } else if p.to_string_lossy().ends_with(ext) {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut scenarios = Vec::new();
        files(&root.join("tests/scenarios"), ".scn", &mut scenarios);
        assert!(scenarios.len() > 100);
        let mut events = 0;
        for path in &scenarios {
            let text = std::fs::read_to_string(path).unwrap();
            let out = crate::scenario::run_text(&text, None);
            same(&out.expectations);
            let Some(sim) = out.sim else { continue };
            same(&crate::view::view(&sim));
            same(&sim.decisions);
            same(&sim.samples);
            for e in sim.trace.since(0) {
                assert_eq!(to_string(e), Some(e.to_json()), "{}", path.display());
                events += 1;
            }
            let Ok(mut p) = crate::playground::Playground::new(&text, None) else {
                continue;
            };
            same(p.loaded());
            for line in ["m> SET k v", "disconnect m r1", "m> INFO replication"] {
                if let Ok(a) = p.apply(line) {
                    same(&a);
                }
            }
            p.advance(3_000_000);
            same(p.actions());
            same(&p.poll_replies());
            same(&p.config("m").unwrap_or_default());
            same(&p.view());
        }
        assert!(events > 10_000, "{events}");

        let mut masters = Vec::new();
        files(
            &root.join("tests/explain_samples"),
            ".master.txt",
            &mut masters,
        );
        assert!(!masters.is_empty());
        for m in &masters {
            let master = std::fs::read_to_string(m).unwrap();
            let r = m.to_string_lossy().replace(".master.txt", ".replica.txt");
            let replica = std::fs::read_to_string(r).unwrap();
            let opts = crate::explain::Options {
                rate_bytes_per_s: Some(1000),
                outage_s: Some(60),
                ..Default::default()
            };
            for (a, b) in [(&master, &replica), (&replica, &master), (&master, &master)] {
                match crate::explain::explain_texts(a, b, &opts) {
                    Ok(e) => same(&e),
                    Err(e) => same(&e),
                }
            }
        }
        let e = crate::explain::explain_texts("x", "", &Default::default()).unwrap_err();
        same(&e);
    }

    #[test]
    fn refuses_what_views_do_not_hold() {
        assert_eq!(to_string(&1.5f64), None);
        assert_eq!(to_string(&BTreeMap::from([((), 1)])), None);
        let mut out = String::from("x");
        assert!(write(&mut out, &[1, 2]));
        assert_eq!(out, "x[1,2]");
    }
}
