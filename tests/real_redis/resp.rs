//! A minimal RESP2 client, written independently of the simulator's `resp` module
//! so that the real side of the comparison shares no code with the thing it checks.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A reply as a RESP2 server sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+...`
    Status(String),
    /// `-...` (without the dash).
    Error(String),
    /// `:...`
    Integer(i64),
    /// `$...` (`None` for `$-1`).
    Bulk(Option<Vec<u8>>),
    /// `*...` (`None` for `*-1`).
    Array(Option<Vec<Reply>>),
}

/// One connection to a server: a `redis-cli` session.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// Encode a command as a RESP array of bulk strings.
pub fn encode(argv: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", argv.len()).into_bytes();
    for a in argv {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Conn {
    /// Connect to 127.0.0.1:`port`.
    pub fn connect(port: u16, timeout: Duration) -> io::Result<Conn> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(timeout))?;
        let writer = s.try_clone()?;
        Ok(Conn {
            reader: BufReader::new(s),
            writer,
        })
    }

    /// Send one command and read its reply. `Ok(None)` means the server closed the
    /// connection instead of replying (SHUTDOWN).
    pub fn call(&mut self, argv: &[Vec<u8>]) -> io::Result<Option<Reply>> {
        self.writer.write_all(&encode(argv))?;
        match read_reply(&mut self.reader) {
            Ok(r) => Ok(Some(r)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// `call` with string arguments.
    pub fn call_str(&mut self, args: &[&str]) -> io::Result<Option<Reply>> {
        let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        self.call(&argv)
    }

    /// Change the read timeout (WAIT may block for long).
    pub fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.writer.set_read_timeout(Some(timeout))
    }
}

fn read_line<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let n = r.read_until(b'\n', &mut line)?;
    if n == 0 || !line.ends_with(b"\r\n") {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    line.truncate(line.len() - 2);
    Ok(line)
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

fn parse_int(b: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(b)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad integer in reply"))
}

/// Read one reply.
pub fn read_reply<R: BufRead>(r: &mut R) -> io::Result<Reply> {
    let line = read_line(r)?;
    let Some((&kind, rest)) = line.split_first() else {
        return Err(bad("empty reply line"));
    };
    let text = || String::from_utf8_lossy(rest).into_owned();
    Ok(match kind {
        b'+' => Reply::Status(text()),
        b'-' => Reply::Error(text()),
        b':' => Reply::Integer(parse_int(rest)?),
        b'$' => {
            let n = parse_int(rest)?;
            if n < 0 {
                Reply::Bulk(None)
            } else {
                let mut buf = vec![0; n as usize + 2];
                r.read_exact(&mut buf)?;
                buf.truncate(n as usize);
                Reply::Bulk(Some(buf))
            }
        }
        b'*' => {
            let n = parse_int(rest)?;
            if n < 0 {
                Reply::Array(None)
            } else {
                let mut items = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    items.push(read_reply(r)?);
                }
                Reply::Array(Some(items))
            }
        }
        _ => return Err(bad("unknown reply type")),
    })
}

/// Checks of the parser, run at the start of the suite (harness = false has no
/// unit tests).
pub fn self_check() {
    let bytes =
        b"*3\r\n$6\r\nmaster\r\n:54\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n$2\r\n54\r\n";
    let r = read_reply(&mut &bytes[..]).expect("parses");
    assert!(matches!(r, Reply::Array(Some(ref v)) if v.len() == 3));
}
