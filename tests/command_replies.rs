//! Conformance of the data commands against a real `redis-server` 7.0.
//!
//! Two checks, each skipped (with a message) when `redis-server` is not installed:
//!
//! 1. [`replies_match_redis`]: a few hundred commands (every data command, happy
//!    paths and every error branch) go to a real server and to a simulated node;
//!    the replies, as `redis-cli` prints them, must be equal.
//! 2. [`propagation_matches_redis`]: a list of writes goes to a real master with a
//!    replica attached and to a simulated master with a simulated replica; the
//!    number of bytes each command adds to `master_repl_offset` must be equal.
//!    (Absolute times differ between the two, but both are 13-digit
//!    milliseconds, so the counts still agree.)
// Talks to a real redis-server: native only (no processes or sockets in wasm32).
#![cfg(not(target_arch = "wasm32"))]

use replscope::cli::format_reply;
use replscope::node::config::Config;
use replscope::sim::{CommandOutcome, NodeId, Sim};
use replscope::time::SimTime;

mod real_redis;
use real_redis::{normalize, same_reply, split, Compare, RedisServer};

/// The commands of [`replies_match_redis`], one per line. A line may start with
/// `sorted:` or `pairs:` to choose the comparison; `#` starts a comment.
///
/// Times: the simulator's clock starts at 2026-01-01 and real Redis's is the
/// machine's, so absolute deadlines are either long past (2001) or far ahead
/// (2100), and relative TTLs are read back with TTL or PTTL, which
/// [`same_reply`] compares with a tolerance (the real clock moves on).
const SCRIPT: &str = r#"
# --- connection and databases
PING
PING hello
PING a b
ping ""
ECHO hi
ECHO
ECHO a b
SELECT 1
SET indb1 x
DBSIZE
SELECT 0
DBSIZE
SELECT 16
SELECT -1
SELECT x
SELECT 3000000000
SELECT 01
SELECT
DBSIZE x
NOSUCHCOMMAND a b

# --- SET and its options
SET s1 v1
GET s1
GET nokey
GET
GET a b
SET s1 v2 XX
GET s1
SET s1 v3 NX
SET s2 v XX
SET s2 v NX
SET s2 w NX GET
SET s2 w2 XX GET
SET s2 w3 GET
SET s3 v GET
SET s3 v get GeT
set s4 v nx xx
SET s4 v XX NX
SET s4 v FOO
SET s4 v EX
SET s4 v EX 10 PX 10
SET s4 v EX 10 EXAT 10
SET s4 v PX 10 PXAT 10
SET s4 v KEEPTTL EX 10
SET s4 v EX 10 KEEPTTL
SET s4 v KEEPTTL KEEPTTL
SET s4 v EX 10 EX 20
TTL s4
SET s4 v PERSIST
SET s4 v EX 0
SET s4 v EX -5
SET s4 v PX 0
SET s4 v EXAT 0
SET s4 v PXAT -1
SET s4 v EX abc
SET s4 v EX 1.5
SET s4 v EX 9223372036854775
SET s4 v EX 9223372036854776
SET s4 v PX 9223372036854775807
SET s4 v EX 9223372036854775807
SET s1 v EX 100
TTL s1
PTTL s1
SET s1 v PX 100000
TTL s1
SET s1 v EXAT 4102444800
EXPIRETIME s1
PEXPIRETIME s1
SET s1 v2 KEEPTTL
EXPIRETIME s1
GET s1
SET s1 v3
TTL s1
SET s1 v PXAT 4102444800123
PEXPIRETIME s1
EXPIRETIME s1
SET s1 v ex 100 nx
SET s1 v NX GET EX 100
SET s1 v XX GET PXAT 4102444800999
PEXPIRETIME s1
SET past v EXAT 1000000000
GET past
EXISTS past
SET past2 v PXAT 1000000000000 GET
SET past2 v2 GET
SET
SET s1

# --- SETNX SETEX PSETEX GETSET GETDEL
SETNX n1 a
SETNX n1 b
GET n1
SETNX n1
SETEX e1 100 v
TTL e1
GET e1
SETEX e1 0 v
SETEX e1 -1 v
SETEX e1 x v
SETEX e1 100
PSETEX e2 100000 v
TTL e2
PSETEX e2 0 v
PSETEX e2 x v
GETSET g1 a
GETSET g1 b
GET g1
SET g2 v EX 100
GETSET g2 w
TTL g2
GETSET g1
GETDEL g1
GETDEL g1
EXISTS g1
GETDEL

# --- GETEX
SET x1 v
GETEX x1
TTL x1
GETEX x1 EX 100
TTL x1
GETEX x1 PX 200000
TTL x1
GETEX x1 EXAT 4102444800
EXPIRETIME x1
GETEX x1 PXAT 4102444800456
PEXPIRETIME x1
GETEX x1 PERSIST
TTL x1
GETEX x1 PERSIST
GETEX x1 persist ex 10
GETEX x1 EX 10 PERSIST
GETEX x1 EX 10 PX 10
GETEX x1 KEEPTTL
GETEX x1 NX
GETEX x1 GET
GETEX x1 EX
GETEX x1 EX 0
GETEX x1 EX -1
GETEX x1 EX abc
GETEX x1 PXAT 0
GETEX nokey EX 0
GETEX nokey EX abc
GETEX nokey FOO
GETEX x1 EXAT 1000000000
EXISTS x1
GETEX
GETEX a b c d

# --- MSET MSETNX MGET
MSET m1 a m2 b
MGET m1 m2 nokey
MSET m1
MSET m1 a m2
MSET
MSETNX m3 c m4 d
MSETNX m4 x m5 y
MGET m3 m4 m5
MSETNX m6
MSETNX m6 a m7
MSET m1 x m1 y
GET m1

# --- counters
SET c1 10
INCR c1
INCRBY c1 5
DECR c1
DECRBY c1 3
INCR newc
DECR newc2
INCRBY newc3 -7
DECRBY newc4 -7
INCRBY c1 abc
INCRBY c1 1.5
INCRBY c1 " 1"
INCRBY c1 01
DECRBY c1 -9223372036854775808
DECRBY c1 9223372036854775808
SET cmax 9223372036854775807
INCR cmax
INCRBY cmax 0
SET cmin -9223372036854775808
DECR cmin
INCRBY cmin -1
DECRBY cmin 1
DECRBY cmin -9223372036854775807
SET cstr abc
INCR cstr
SET cneg0 -0
INCR cneg0
SET cspace " 1"
INCR cspace
SET clead 01
INCR clead
SET cplus +1
INCR cplus
SET cfloat 1.0
INCR cfloat
SET cbig 99999999999999999999
INCR cbig
SET cex 5 EX 100
INCR cex
TTL cex
INCR
INCR a b
INCRBY c1
DECRBY c1

# --- INCRBYFLOAT
SET f1 10.50
INCRBYFLOAT f1 0.1
INCRBYFLOAT f1 -5
INCRBYFLOAT f2 3.0e3
INCRBYFLOAT f3 1.1
INCRBYFLOAT f3 2.2
INCRBYFLOAT f4 10.5
INCRBYFLOAT f5 5.0e3
INCRBYFLOAT f5 2.0e2
INCRBYFLOAT f6 0x10
INCRBYFLOAT f6 0x1.8p1
INCRBYFLOAT f7 .5
INCRBYFLOAT f7 5.
INCRBYFLOAT f7 +1e+1
INCRBYFLOAT f8 -0.0
INCRBYFLOAT f9 1e-30
INCRBYFLOAT f10 0.000003814697265625
INCRBYFLOAT f11 1e300
INCRBYFLOAT f12 123456789012345678901234567890
INCRBYFLOAT f13 1e-4950
INCRBYFLOAT f13 1e-4955
INCRBYFLOAT f14 1.19e4932
INCRBYFLOAT f14 1.18e4932
INCRBYFLOAT f14 1.18e4932
INCRBYFLOAT f15 inf
INCRBYFLOAT f15 -infinity
INCRBYFLOAT f15 nan
INCRBYFLOAT f15 abc
INCRBYFLOAT f15 " 1"
INCRBYFLOAT f15 "1 "
INCRBYFLOAT f15 1e
INCRBYFLOAT f15 ""
INCRBYFLOAT f15 1e5000
EXISTS f15
SET finf inf
INCRBYFLOAT finf 1
SET fstr abc
INCRBYFLOAT fstr 1
SET fint 7
INCRBYFLOAT fint 0.5
SET fex 1 EX 100
INCRBYFLOAT fex 1
TTL fex
INCRBYFLOAT f1
INCRBYFLOAT

# --- APPEND STRLEN SETRANGE GETRANGE SUBSTR
APPEND a1 Hello
APPEND a1 " World"
GET a1
STRLEN a1
STRLEN nokey
APPEND a1 ""
SET aex x EX 100
APPEND aex y
TTL aex
APPEND a1
STRLEN
SETRANGE r1 6 Redis
GET r1
STRLEN r1
SETRANGE r1 0 Hi
GET r1
SETRANGE r1 20 ""
SETRANGE nokey2 5 ""
EXISTS nokey2
SETRANGE r1 -1 x
SETRANGE r1 x x
SETRANGE r1 536870912 x
SETRANGE r2 536870911 ""
SETRANGE r1 1
GETRANGE a1 0 4
GETRANGE a1 -5 -1
GETRANGE a1 -1 -5
GETRANGE a1 5 3
GETRANGE a1 0 100
GETRANGE a1 -100 2
GETRANGE a1 -9223372036854775808 9223372036854775807
GETRANGE nokey 0 -1
GETRANGE a1 x 1
GETRANGE a1 0 y
GETRANGE a1 0
SUBSTR a1 0 4
SUBSTR a1 0
SET empty ""
GETRANGE empty 0 -1
STRLEN empty

# --- DEL UNLINK EXISTS TOUCH TYPE
SET d1 a
SET d2 b
EXISTS d1 d2 d1 nokey
TOUCH d1 d2 nokey
DEL d1 nokey d1
UNLINK d2 nokey
DEL d1
DEL
UNLINK
EXISTS
TOUCH
TYPE s1
TYPE nokey
TYPE
TYPE a b

# --- EXPIRE PEXPIRE EXPIREAT PEXPIREAT
SET t1 v
EXPIRE t1 100
TTL t1
EXPIRE t1 200 NX
EXPIRE t1 200 XX
TTL t1
EXPIRE t1 100 GT
EXPIRE t1 300 GT
TTL t1
EXPIRE t1 400 LT
EXPIRE t1 50 LT
TTL t1
EXPIRE t1 50 nx xx
EXPIRE t1 50 NX GT
EXPIRE t1 50 NX LT
EXPIRE t1 50 GT LT
EXPIRE t1 50 FOO
EXPIRE t1 50 xx xx
EXPIRE t1 abc
EXPIRE t1 abc FOO
EXPIRE t1 1.5
EXPIRE t1 9223372036854775
EXPIRE t1 9223372036854776
EXPIRE t1 -9223372036854776
PEXPIRE t1 9223372036854775807
EXPIREAT t1 9223372036854775807
PEXPIREAT t1 9223372036854775807
PEXPIRETIME t1
EXPIREAT t1 4102444800
EXPIRETIME t1
PEXPIREAT t1 4102444800789
PEXPIRETIME t1
EXPIRETIME t1
PEXPIRE t1 100000
TTL t1
SET t2 v
EXPIRE t2 100 XX
EXPIRE t2 100 GT
EXPIRE t2 100 LT
TTL t2
SET t3 v
EXPIRE t3 200 NX
EXPIRE t3 200 NX
EXPIRE nokey 100
PEXPIRE nokey 100
EXPIREAT nokey 4102444800
PEXPIREAT nokey 4102444800000
SET t4 v
EXPIRE t4 -1
EXISTS t4
SET t5 v
EXPIREAT t5 1000000000
EXISTS t5
SET t6 v
PEXPIREAT t6 0
EXISTS t6
SET t7 v
PEXPIRE t7 -100 NX
EXISTS t7
SET t8 v EX 100
EXPIRE t8 -1 GT
TTL t8
EXPIRE t8 -1 LT
EXISTS t8
EXPIRE t1
EXPIRE

# --- TTL PTTL EXPIRETIME PEXPIRETIME PERSIST
TTL nokey
PTTL nokey
EXPIRETIME nokey
PEXPIRETIME nokey
SET p1 v
TTL p1
PTTL p1
EXPIRETIME p1
PEXPIRETIME p1
PERSIST p1
SET p1 v EXAT 4102444800
PERSIST p1
TTL p1
PERSIST p1
PERSIST nokey
TTL
PERSIST

# --- KEYS
SELECT 2
MSET alpha 1 beta 2 gamma 3 hello 4 hallo 5 hxllo 6 "h*llo" 7 "" 8 "a b" 9
sorted: KEYS *
sorted: KEYS h?llo
sorted: KEYS h*llo
sorted: KEYS h[ae]llo
sorted: KEYS h[^e]llo
sorted: KEYS h[a-b]llo
sorted: KEYS "h\*llo"
sorted: KEYS **
sorted: KEYS ""
sorted: KEYS *a*
sorted: KEYS "a b"
sorted: KEYS nomatch*
SET gone v EXAT 1000000000
sorted: KEYS *
sorted: KEYS go*
KEYS
DBSIZE

# --- RENAME RENAMENX COPY MOVE
SET rn1 v EXAT 4102444800
RENAME rn1 rn2
EXISTS rn1
GET rn2
EXPIRETIME rn2
RENAME rn2 rn2
RENAME nokey rn3
RENAME nokey nokey
SET rn3 other
RENAME rn2 rn3
GET rn3
EXPIRETIME rn3
SET rn4 w
RENAMENX rn3 rn4
RENAMENX rn3 rn5
RENAMENX rn5 rn5
RENAMENX nokey rn6
RPUSH rnl a b
RENAME rnl rnl2
LRANGE rnl2 0 -1
RENAME rn3
RENAMENX rn3
COPY rn5 cp1
GET cp1
EXPIRETIME cp1
COPY rn5 cp1
COPY rn5 cp1 REPLACE
COPY rn5 rn5
COPY nokey cp2
COPY rn5 cp3 DB 3
COPY rn5 cp3 DB 3
COPY rn5 cp3 db 3 replace
COPY rn5 rn5 DB 3
COPY rn5 rn5 DB 2
COPY rn5 cp4 DB 16
COPY rn5 cp4 DB -1
COPY rn5 cp4 DB x
COPY rn5 cp4 DB 3000000000
COPY rn5 cp4 DB
COPY rn5 cp4 FOO
COPY rn5 cp4 REPLACE REPLACE
RPUSH cpl a b
COPY cpl cpl2
LRANGE cpl2 0 -1
HSET cph f v
COPY cph cph2
HGETALL cph2
SADD cps a
COPY cps cps2
SMEMBERS cps2
COPY rn5
SELECT 3
GET cp3
SELECT 2
SET mv1 v
MOVE mv1 4
EXISTS mv1
MOVE mv1 4
SET mv1 v2
MOVE mv1 4
MOVE mv1 2
MOVE mv1 16
MOVE mv1 x
MOVE nokey 4
SELECT 4
GET mv1
SELECT 0
MOVE mv1

# --- lists
RPUSH l1 a b c
LPUSH l1 z y
LRANGE l1 0 -1
LLEN l1
LINDEX l1 0
LINDEX l1 -1
LINDEX l1 100
LINDEX l1 -100
LINDEX l1 x
LINDEX nokey x
LINDEX l1 -9223372036854775808
LRANGE l1 1 2
LRANGE l1 -2 -1
LRANGE l1 3 1
LRANGE l1 -100 100
LRANGE l1 x 1
LRANGE l1 0 y
LRANGE nokey 0 -1
LPOP l1
RPOP l1
LPOP l1 2
RPOP l1 0
RPOP l1 10
EXISTS l1
LPOP l1
LPOP l1 2
RPOP l1 0
LPOP l1 -1
LPOP l1 abc
LPOP l1 1 2
RPOP l1 1 2
RPUSH l2 a b c d e
RPOP l2 2
LPOP l2 2
LPOP l2 1
LLEN l2
RPUSH l2
LPUSH l2
LPUSHX l2 q
LPUSHX nol q
RPUSHX l2 r s
RPUSHX nol r
EXISTS nol
LRANGE l2 0 -1
LLEN nokey
LPOP
LLEN
LINDEX l1
LRANGE l1 0

# --- reply order of small collections, which Redis keeps in a compact encoding:
# a listpack hash in insertion order (an update keeps the field's place), an intset
# in numeric order
HSET ord zeta 1 alpha 2 mid 3
HSET ord zeta 4
HGETALL ord
HDEL ord alpha
HSET ord alpha 5
HKEYS ord
HVALS ord
SADD ints 10 9 100 -5
SMEMBERS ints
SREM ints 9
SADD ints 42 -100 9223372036854775807 -9223372036854775808
SMEMBERS ints

# --- hashes
HSET h1 f1 v1 f2 v2
HSET h1 f1 v1b f3 v3
HSET h1 f1
HSET h1 f1 v f2
HMSET h1 f4 v4
HMSET h1 f4
HGET h1 f1
HGET h1 nofield
HGET nokey f
HGETALL h1
HGETALL nokey
HLEN h1
HLEN nokey
HKEYS h1
HVALS h1
HKEYS nokey
HMGET h1 f1 nofield f2
HMGET nokey a b
HEXISTS h1 f1
HEXISTS h1 nofield
HEXISTS nokey f
HSTRLEN h1 f1
HSTRLEN h1 nofield
HSETNX h1 f1 x
HSETNX h1 f9 x
HSETNX newh f x
HDEL h1 f1 nofield f2
HDEL h1 nofield
HDEL nokey f
HDEL h1 f3 f4 f9 f3
EXISTS h1
HINCRBY h2 n 5
HINCRBY h2 n -3
HINCRBY h2 n x
HINCRBY h2 n 1.5
HSET h2 s abc big 9223372036854775807 neg0 -0
HINCRBY h2 s 1
HINCRBY h2 big 1
HINCRBY h2 neg0 1
HINCRBYFLOAT h2 fl 1.1
HINCRBYFLOAT h2 fl 2.2
HINCRBYFLOAT h2 n 0.5
HINCRBYFLOAT h2 fl abc
HINCRBYFLOAT h2 fl inf
HINCRBYFLOAT h2 fl -inf
HINCRBYFLOAT h2 fl nan
HINCRBYFLOAT h2 s 1
HSET h2 hinf inf
HINCRBYFLOAT h2 hinf 1
HINCRBYFLOAT h2 fl 1e4932
HINCRBYFLOAT h2 fl 1.19e4932
HINCRBYFLOAT h2 fl2 3.0e3
HINCRBYFLOAT nokey3 f abc
EXISTS nokey3
HINCRBYFLOAT nokey3 f inf
EXISTS nokey3
pairs: HGETALL h2
HGET
HGETALL
HINCRBY h2 n
HINCRBYFLOAT h2 n
HSETNX h2 a
HMGET h2
HDEL h2
HSTRLEN h2
HEXISTS h2

# --- sets
SADD st1 a b c
SADD st1 a d
SADD st1 a
SCARD st1
SCARD nokey
sorted: SMEMBERS st1
SMEMBERS nokey
SISMEMBER st1 a
SISMEMBER st1 z
SISMEMBER nokey a
SMISMEMBER st1 a z b
SMISMEMBER nokey a
SREM st1 a z
SREM st1 z
SREM nokey a
SREM st1 b c d a
EXISTS st1
SADD st2 only
SPOP st2
EXISTS st2
SPOP st2
SPOP st2 3
SADD st3 x y z
SPOP st3 0
sorted: SPOP st3 3
EXISTS st3
SADD st4 x y
sorted: SPOP st4 10
SPOP st4 -1
SPOP st4 abc
SPOP st4 1 2
SADD st5 1 2 3
SISMEMBER st5 1
SISMEMBER st5 01
SADD st5 01
SCARD st5
SADD
SADD st1
SREM st1
SCARD
SMEMBERS
SISMEMBER st1
SMISMEMBER st1
SPOP

# --- WRONGTYPE everywhere
SET str v
RPUSH lst a
HSET hsh f v
SADD sst m
GET lst
GETSET lst v
GETDEL lst
GETEX lst
GETEX lst EX 10
GETEX lst EX abc
SET lst v GET
SET lst v NX
SET lst v NX GET
MGET str lst hsh sst
INCR lst
INCRBY hsh 1
DECR sst
DECRBY lst 1
INCRBYFLOAT lst 1
APPEND lst x
STRLEN lst
SETRANGE lst 0 x
SETRANGE lst 0 ""
SETRANGE lst -1 x
GETRANGE lst 0 1
LPUSH str x
RPUSH hsh x
LPUSHX str x
RPUSHX sst x
LPOP str
RPOP str 2
LPOP str -1
LLEN str
LINDEX str 0
LINDEX str x
LRANGE str 0 1
LRANGE str x 1
HSET str f v
HSET str f
HSETNX lst f v
HGET lst f
HMGET lst f
HDEL lst f
HGETALL lst
HKEYS lst
HVALS lst
HLEN lst
HEXISTS lst f
HSTRLEN lst f
HINCRBY lst f 1
HINCRBY lst f x
HINCRBYFLOAT lst f 1
HINCRBYFLOAT lst f inf
SADD str m
SREM str m
SMEMBERS str
SCARD str
SISMEMBER str m
SMISMEMBER str m
SPOP str
SPOP str 1
SPOP str -1
TYPE str
TYPE lst
TYPE hsh
TYPE sst
EXPIRE lst 100
TTL lst
PERSIST lst
RENAME lst lst2
TYPE lst2
COPY hsh hsh2
TYPE hsh2
SET sst v
TYPE sst
DEL str lst2 hsh hsh2 sst
DBSIZE
SELECT 1
DBSIZE
"#;

/// Run the script on a fresh simulated node and on a real server.
#[test]
fn replies_match_redis() {
    let Some(server) = RedisServer::start("replies", &[]) else {
        return;
    };
    let mut real = server.client();
    // Keep already-expired keys around until a command looks at them, as the
    // simulated node does while its clock stands still.
    assert_eq!(format_reply(&real.cmd("DEBUG SET-ACTIVE-EXPIRE 0")), "OK");

    let mut sim = Sim::new(1);
    let m = sim.add_node("m", Config::default());
    sim.start(m);

    let mut mismatches = Vec::new();
    let mut count = 0;
    for raw in SCRIPT.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (how, text) = match line.split_once(": ") {
            Some(("sorted", rest)) => (Compare::Sorted, rest),
            Some(("pairs", rest)) => (Compare::Pairs, rest),
            _ => (Compare::Exact, line),
        };
        let argv = split(text);
        let want = real.command(&argv);
        let got = match sim.command(m, &argv) {
            CommandOutcome::Reply(v) => v,
            other => panic!("{text}: simulated node gave {other:?}"),
        };
        count += 1;
        if !same_reply(&argv, &want, &got, how) {
            mismatches.push(format!(
                "{text}\n  redis-server: {}\n  simulated:    {}",
                format_reply(&want),
                format_reply(&got)
            ));
        }
    }
    assert!(count > 300, "only {count} commands ran");
    assert!(
        mismatches.is_empty(),
        "{} of {count} replies differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The writes of [`propagation_matches_redis`]: each line is one command whose
/// replication-stream bytes are compared.
const WRITES: &str = r#"
SET k1 v1
SET k1 v2 EX 100
SET k1 v3 PX 100000
SET k1 v4 EXAT 4102444800
SET k1 v5 PXAT 4102444800123
SET k1 v6 KEEPTTL
set k1 v7 nx
set k2 v7 nx
SET k2 v8 XX GET
SET k2 v9 GET EX 100
SET k2 v10 get get
SET k3 v GET
SETNX k3 x
SETNX k4 x
SETEX k5 100 v
PSETEX k6 100000 v
GETSET k5 w
GETSET k7 w
GETDEL k7
GETDEL k7
GETEX k5
GETEX k5 EX 100
GETEX k5 px 100000
GETEX k5 EXAT 4102444800
GETEX k5 PXAT 4102444800123
GETEX k5 PERSIST
GETEX k5 PERSIST
GETEX k5 EXAT 1000000000
GETEX nokey EX 100
MSET a 1 b 2 c 3
MSETNX a 1 d 4
MSETNX d 4 e 5
INCR n
INCRBY n 10
DECR n
DECRBY n 5
INCR k1
INCRBYFLOAT f 1.1
INCRBYFLOAT f 2.2
INCRBYFLOAT f 1e4000
APPEND ap hello
APPEND ap ""
SETRANGE ap 10 x
SETRANGE ap 0 ""
SETRANGE nokey 0 ""
DEL a b nokey
DEL nokey
UNLINK c nokey
EXPIRE d 100
EXPIRE d 200 GT
EXPIRE d 50 GT
pexpire d 300000 xx
EXPIREAT d 4102444800
PEXPIREAT d 4102444800123
pexpireat d 4102444800999 lt
EXPIRE nokey 100
EXPIRE d -1
EXPIREAT e 1000000000
SET p v EX 100
PERSIST p
PERSIST p
RENAME p p2
RENAMENX p2 ap
RENAMENX p2 p3
COPY p3 p4
COPY p3 p4
COPY p3 p4 DB 1 REPLACE
MOVE p4 2
SELECT 1
SET indb1 v
SELECT 0
SET indb0 v
SET old v PXAT 1000000000000
GET old
SET old v PXAT 1000000000000
INCR old
SET old v PXAT 1000000000000
DEL old
SET old v PXAT 1000000000000
SET old v NX
SET old v PXAT 1000000000000
EXISTS old
RPUSH l a b c d e
LPUSH l z
LPUSHX l y
RPUSHX nol y
LPOP l
RPOP l 2
LPOP l 0
LPOP l 10
LPOP l
HSET h f1 v1 f2 v2
HSET h f1 v1
HMSET h f3 v3
HSETNX h f1 x
HSETNX h f9 x
HDEL h f1 nofield
HDEL h nofield
HINCRBY h n 5
HINCRBYFLOAT h fl 1.1
HINCRBYFLOAT h fl 2.2
HDEL h f2 f3 f9 n fl
SADD s a b c d e
SADD s a
SREM s a z
SREM s z
SPOP s
SPOP s 2
SPOP s 0
SPOP s 1
SPOP nokey
SADD s2 x y
SPOP s2 5
SADD s3 p q r
SPOP s3 3
RPUSH keepl a b c
HSET keeph f1 v1 f2 v2
SADD keeps x y z
EXPIRE keeps 1000
"#;

/// The bytes each write adds to a master's replication stream, real and simulated.
#[test]
fn propagation_matches_redis() {
    let Some(server) = RedisServer::start(
        "propagation",
        &[
            "--repl-diskless-sync",
            "no",
            "--repl-ping-replica-period",
            "3600",
        ],
    ) else {
        return;
    };
    let mut real = server.client();
    assert_eq!(format_reply(&real.cmd("DEBUG SET-ACTIVE-EXPIRE 0")), "OK");
    // A replica, so that the master feeds a replication stream and counts offsets.
    let _replica = server.fake_replica();

    let mut sim = Sim::new(1);
    let m = sim.add_node("m", Config::default());
    let r1 = sim.add_node(
        "r1",
        Config {
            replicaof: Some(("m".into(), 6379)),
            ..Config::default()
        },
    );
    sim.start(m);
    sim.start(r1);
    sim.run_until(SimTime::from_ms(8000));
    let sim_offset = |sim: &Sim, m: NodeId| sim.node(m).expect("m runs").repl.master_repl_offset;
    assert!(sim.sync_status().is_ok(), "{:?}", sim.sync_status());

    let mut mismatches = Vec::new();
    let mut total = 0;
    for line in WRITES.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let argv = split(line);
        let before = real.master_repl_offset();
        let want_reply = real.command(&argv);
        let real_delta = real.master_repl_offset() - before;

        let before = sim_offset(&sim, m);
        let got_reply = match sim.command(m, &argv) {
            CommandOutcome::Reply(v) => v,
            other => panic!("{line}: simulated node gave {other:?}"),
        };
        let sim_delta = sim_offset(&sim, m) - before;
        total += real_delta;
        // SPOP picks members at random in Redis (the simulator takes the smallest):
        // its replies cannot be compared, only its byte counts (members are all one
        // byte long).
        let random = argv[0].eq_ignore_ascii_case(b"spop");
        let (want, got) = if random {
            (String::new(), String::new())
        } else {
            (
                normalize(&want_reply, Compare::Sorted),
                normalize(&got_reply, Compare::Sorted),
            )
        };
        if real_delta != sim_delta || want != got {
            mismatches.push(format!(
                "{line}\n  redis-server: +{real_delta} bytes, {want}\n  simulated:    +{sim_delta} bytes, {got}"
            ));
        }
    }
    assert!(total > 2000, "only {total} bytes were propagated");
    // The simulated replica, applying the rewritten stream, ends with the same data.
    sim.run_until(SimTime::from_ms(sim.now().as_ms() + 1000));
    assert_eq!(sim.sync_status(), Ok(()));
    assert_eq!(
        sim.node(r1).expect("r1 runs").ks,
        sim.node(m).expect("m runs").ks,
        "replica and master datasets differ"
    );
    // A replica that joins now gets every type through the RDB of a full sync.
    let r2 = sim.add_node(
        "r2",
        Config {
            replicaof: Some(("m".into(), 6379)),
            ..Config::default()
        },
    );
    sim.start(r2);
    sim.run_until(SimTime::from_ms(sim.now().as_ms() + 8000));
    assert_eq!(sim.sync_status(), Ok(()));
    assert_eq!(
        sim.node(r2).expect("r2 runs").ks,
        sim.node(m).expect("m runs").ks,
        "full-synced replica and master datasets differ"
    );
    assert!(
        mismatches.is_empty(),
        "{} writes differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
