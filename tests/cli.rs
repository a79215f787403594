//! The `replscope` binary as a user runs it: exit codes, where output goes, error
//! positions, `--trace`, standard input.

mod common;

use std::process::Output;

fn replscope(args: &[&str], stdin: Option<&str>) -> Output {
    common::run_binary(args, stdin.unwrap_or("").as_bytes())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn passing_scenario_exits_0_and_prints_the_transcript_only() {
    let out = replscope(
        &["run", "-"],
        Some("node m\nm> SET foo bar\nm> GET foo\nexpect m> GET foo => \"bar\"\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "m> SET foo bar\nOK\nm> GET foo\n\"bar\"\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn failed_expect_exits_1_naming_line_field_and_values() {
    let out = replscope(
        &["run", "-"],
        Some("node m\n\nexpect m master_repl_offset = 5\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(":3:"), "{err}");
    assert!(
        err.contains("master_repl_offset is 0, expected = 5"),
        "{err}"
    );
}

#[test]
fn unrunnable_scenario_exits_2_with_line_and_column() {
    let out = replscope(&["run", "-"], Some("node m\nwait 3x\n"));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("-:2:6:"), "{err}");

    let out = replscope(&["run", "-"], Some("node m\nnode r1 replicaof=nosuch\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("-:2:9: replicaof: unknown node 'nosuch'"),
        "{}",
        text(&out.stderr)
    );

    let out = replscope(&["run", "-"], Some("node m repl-backlog-size=lots\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("-:1:8:"),
        "{}",
        text(&out.stderr)
    );

    let out = replscope(&["run", "-"], Some("node m\nm> SET \"unterminated\n"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn misspelt_node_parameter_names_the_closest_known_one() {
    let out = replscope(&["run", "-"], Some("node m repl-bakclog-size=1mb\n"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:1:8: repl-bakclog-size=1mb: Bad directive or wrong number of arguments \
         (did you mean 'repl-backlog-size'?)"
    );
    // A name inside the hint or inside Redis's words still gets its prefix.
    let out = replscope(&["run", "-"], Some("node m repl-backlog-siz=1mb\n"));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:1:8: repl-backlog-siz=1mb: Bad directive or wrong number of arguments \
         (did you mean 'repl-backlog-size'?)"
    );
    // The node line's own `version=`, a swapped pair of letters being one slip.
    let out = replscope(&["run", "-"], Some("node m verison=redis-8.0\n"));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:1:8: verison=redis-8.0: Bad directive or wrong number of arguments \
         (did you mean 'version'?)"
    );
    // A statement's own word.
    let out = replscope(
        &["run", "-"],
        Some("node m\nnode r replicaof=m\ndisconect m r\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:3:1: unknown statement 'disconect' (did you mean 'disconnect'?)"
    );
    let out = replscope(&["run", "-"], Some("node m a=1\n"));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:1:8: a=1: Bad directive or wrong number of arguments"
    );
    // Nothing close: Redis's words alone.
    let out = replscope(&["run", "-"], Some("node m nosuch=1\n"));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:1:8: nosuch=1: Bad directive or wrong number of arguments"
    );
    // CONFIG SET's reply is Redis's own, without the hint.
    let out = replscope(
        &["run", "-"],
        Some("node m\nm> CONFIG SET repl-bakclog-size 1mb\n"),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("Unknown option or number of arguments for CONFIG SET - 'repl-bakclog-size'"),
        "{stdout}"
    );
    assert!(!stdout.contains("did you mean"), "{stdout}");
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    assert_eq!(
        replscope(&["run", "/nonexistent.scn"], None).status.code(),
        Some(2)
    );
    assert_eq!(replscope(&[], None).status.code(), Some(2));
    assert_eq!(replscope(&["run"], None).status.code(), Some(2));
    assert_eq!(
        replscope(&["run", "--seed", "x", "-"], Some(""))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(replscope(&["--version"], None).status.code(), Some(0));
}

/// `--trace` loses nothing: naming the scenario itself (or a link to it) is refused
/// before anything is written, and a scenario that does not parse leaves a file
/// already at the trace's path as it was (both destroyed the file before; a tester,
/// session 27). A run that ran replaces it, with no temporary file left beside it.
#[test]
#[cfg(unix)]
fn trace_never_destroys_a_file() {
    let dir = std::env::temp_dir().join(format!("replscope-cli-keep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scn = dir.join("s.scn");
    let bad = "node m\nwiat sync\n";
    std::fs::write(&scn, bad).unwrap();
    let link = dir.join("link.scn");
    std::os::unix::fs::symlink(&scn, &link).unwrap();
    let (s, l) = (scn.to_str().unwrap(), link.to_str().unwrap());
    for (trace, file) in [(s, s), (l, s), (s, l)] {
        let out = replscope(&["run", "--trace", trace, file], None);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("is the scenario file itself"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(std::fs::read_to_string(&scn).unwrap(), bad);
    }
    let keep = dir.join("keep.json");
    std::fs::write(&keep, "keep").unwrap();
    let out = replscope(&["run", "--trace", keep.to_str().unwrap(), s], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown statement 'wiat'"));
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "keep");
    let out = replscope(
        &["run", "--trace", keep.to_str().unwrap(), "-"],
        Some("node m\nwait 1s\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&keep)
        .unwrap()
        .starts_with("{\"seq\":0"));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn trace_is_json_lines_and_deterministic() {
    let dir = std::env::temp_dir().join(format!("replscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scn = "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\nm> SET a 1\nwait sync\nexpect r1> GET a => \"1\"\n";
    let mut traces = Vec::new();
    for i in 0..2 {
        let path = dir.join(format!("t{i}.json"));
        let out = replscope(
            &["run", "--seed", "9", "--trace", path.to_str().unwrap(), "-"],
            Some(scn),
        );
        assert_eq!(out.status.code(), Some(0));
        traces.push(std::fs::read_to_string(&path).unwrap());
    }
    assert_eq!(traces[0], traces[1]);
    for line in traces[0].lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["seq"].is_u64() && v["t_us"].is_u64() && v["event"]["kind"].is_string());
    }
    assert!(traces[0].contains("\"psync_decision\""));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn protocol_error_closes_the_session_and_the_next_command_reconnects() {
    use replscope::resp::Value;
    use replscope::sim::{CommandOutcome, Sim};
    let mut sim = Sim::new(1);
    let m = sim.add_node("m", Default::default());
    sim.start(m);
    let cmd = |sim: &mut Sim, argv: &[&[u8]]| match sim
        .command(m, &argv.iter().map(|a| a.to_vec()).collect::<Vec<_>>())
    {
        CommandOutcome::Reply(v) => v,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        cmd(
            &mut sim,
            &[b"CONFIG", b"SET", b"proto-max-bulk-len", b"1mb"]
        ),
        Value::ok()
    );
    assert_eq!(cmd(&mut sim, &[b"SELECT", b"3"]), Value::ok());
    let huge = vec![b'x'; 1024 * 1024 + 1];
    assert_eq!(
        cmd(&mut sim, &[b"SET", b"k", &huge]),
        Value::err("ERR Protocol error: invalid bulk length")
    );
    // redis-cli reconnects: a fresh session in db 0, where k does not exist.
    assert_eq!(cmd(&mut sim, &[b"SET", b"k", b"small"]), Value::ok());
    assert_eq!(cmd(&mut sim, &[b"SELECT", b"3"]), Value::ok());
    assert_eq!(cmd(&mut sim, &[b"EXISTS", b"k"]), Value::Integer(0));
}

#[test]
fn send_prints_the_reply_when_it_comes_and_holds_the_client_until_then() {
    let scenario = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/core/send-without-waiting.scn"
    ))
    .unwrap();
    let out = replscope(&["run", "-"], Some(&scenario));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "m> SET a 1\nOK\nsend m> WAIT 1 3000\nr1> GET a\n(nil)\n\
         (reply to m> WAIT 1 3000)\n(integer) 0\nm> SET b 2\nOK\n"
    );
    // Meanwhile m's one client cannot send anything else.
    let busy = "node m\nnode r1 replicaof=m\nwait sync\ncrash r1\nm> SET a 1\n\
                send m> WAIT 1 0\nwait 1s\nm> GET a\n";
    let out = replscope(&["run", "-"], Some(busy));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains(":8:1: m's client is still waiting for the reply to 'm> WAIT 1 0'"),
        "{}",
        text(&out.stderr)
    );
}

/// `replscope run` with `args`, the scenario on stdin, `REPLSCOPE_PROGRESS_MS=0` (every
/// progress report is shown at once).
fn replscope_progress_at_once(args: &[&str], stdin: &str) -> Output {
    common::run_binary_env(args, stdin.as_bytes(), &[("REPLSCOPE_PROGRESS_MS", "0")])
}

#[test]
fn progress_goes_to_stderr_on_request_and_leaves_the_transcript_alone() {
    let scn = "node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait sync\nm> SET a 1\n\
               wait 600m\nexpect r1 slave_repl_offset = m.master_repl_offset\nm> GET a\n";
    let quiet = replscope_progress_at_once(&["run", "--no-progress", "-"], scn);
    let shown = replscope_progress_at_once(&["run", "--progress", "-"], scn);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(shown.status.code(), Some(0));
    assert_eq!(text(&quiet.stderr), "", "--no-progress shows nothing");
    assert_eq!(text(&shown.stdout), text(&quiet.stdout), "same transcript");
    let err = text(&shown.stderr);
    let lines: Vec<&str> = err.lines().collect();
    // The 10-hour wait of an idle cluster is over a million events: a report every 4,096.
    assert!(lines.len() > 100, "{} progress lines:\n{err}", lines.len());
    let mut last_pct = 0;
    for l in &lines {
        let rest = l
            .strip_prefix("replscope: -: line 6 `wait 600m`: ")
            .unwrap_or_else(|| panic!("a report names the file, line and statement: {l}"));
        let (_, after) = rest
            .split_once(" of 10:00:00 simulated (")
            .unwrap_or_else(|| panic!("simulated time of the wait: {l}"));
        let pct: u64 = after[..after.find('%').expect("a percentage")]
            .parse()
            .expect("a number");
        assert!(pct >= last_pct && pct <= 100, "{l}");
        last_pct = pct;
        assert!(l.contains(" events; ") && l.contains(" s so far"), "{l}");
    }
    assert!(
        last_pct >= 90,
        "reports until the end of the wait: {last_pct}%"
    );
}

#[test]
fn progress_counts_lines_of_a_long_file() {
    let mut scn = String::from("node m\n");
    for i in 0..3000 {
        scn.push_str(&format!("m> SET k{i} v\n"));
    }
    let out = replscope_progress_at_once(&["run", "--progress", "-"], &scn);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("replscope: -: line 1024 of 3001; "), "{err}");
    assert!(err.contains("replscope: -: line 2048 of 3001; "), "{err}");
    assert_eq!(text(&out.stdout).lines().count(), 6000);
}

/// A scenario file in a directory of its own (removed by the caller).
fn scenario_in_temp_dir(tag: &str, text: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("replscope-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scn = dir.join("s.scn");
    std::fs::write(&scn, text).unwrap();
    (dir, scn)
}

/// `--memory-limit 1kb` said "s.scn:0: ... ceiling of 1 MB" (no line 0, and not the
/// value given; a tester, session 28): a limit under 1mb is refused naming the option,
/// and the ceiling's message gives the ceiling exactly and the option that set it.
#[test]
fn memory_limit_names_the_option_and_its_value() {
    let out = replscope(&["run", "--memory-limit", "1kb", "-"], Some("node m\n"));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(
        err.trim_end(),
        "replscope: --memory-limit 1kb (1024 bytes) is too small: the least is 1mb \
         (1048576 bytes); the default is 2gb"
    );
    assert_eq!(text(&out.stdout), "");
    let out = replscope(
        &["run", "--memory-limit", "1500kb", "-"],
        Some("node m\nm> SET a b\nm> SETRANGE k 16777215 x\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "replscope: -:3: the simulation needs more memory than the simulator's ceiling \
             of 1536000 bytes set by --memory-limit 1500kb"
        ),
        "{err}"
    );
    assert_eq!(
        replscope(
            &["run", "--memory-limit", "1mb", "-"],
            Some("node m\nm> PING\n")
        )
        .status
        .code(),
        Some(0)
    );
}

/// Each option once: `--seed 1 --seed 2` took the last one silently.
#[test]
fn a_repeated_option_is_refused() {
    for (args, message) in [
        (&["--seed", "1", "--seed", "2"][..], "--seed given twice"),
        (
            &["--trace", "a.json", "--trace", "b.json"],
            "--trace given twice",
        ),
        (
            &["--memory-limit", "1gb", "--memory-limit", "2gb"],
            "--memory-limit given twice",
        ),
        (&["--progress", "--progress"], "--progress given twice"),
        (
            &["--no-progress", "--progress"],
            "give --progress or --no-progress, not both",
        ),
    ] {
        let mut all = vec!["run"];
        all.extend_from_slice(args);
        all.push("-");
        let out = replscope(&all, Some("node m\nm> PING\n"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert!(
            text(&out.stderr).starts_with(&format!("replscope: {message}")),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert!(!std::path::Path::new("a.json").exists() && !std::path::Path::new("b.json").exists());
}

/// `explain` too: each option once (it took the last of `--rate 1 --rate 2` silently).
#[test]
fn explain_refuses_a_repeated_option() {
    let sample = |who: &str| {
        format!(
            "{}/tests/explain_samples/far-behind.{who}.txt",
            env!("CARGO_MANIFEST_DIR")
        )
    };
    let (master, replica) = (sample("master"), sample("replica"));
    for (args, message) in [
        (
            &["--rate", "1mb", "--rate", "2mb"][..],
            "--rate given twice",
        ),
        (&["--json", "--json"], "--json given twice"),
        (&["--scenario", "--scenario"], "--scenario given twice"),
        (
            &["--outage", "10s", "--outage", "20s"],
            "--outage given twice",
        ),
        (
            &[
                "--replica-addr",
                "10.0.0.1:6379",
                "--replica-addr",
                "10.0.0.2:6379",
            ],
            "--replica-addr given twice",
        ),
        (
            &["--later", &master, "--later", &master],
            "--later given twice",
        ),
        (
            &["--later", &master, "--seconds", "5", "--seconds", "6"],
            "--seconds given twice",
        ),
    ] {
        let mut all = vec!["explain", master.as_str(), replica.as_str()];
        all.extend_from_slice(args);
        let out = replscope(&all, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert!(
            text(&out.stderr).starts_with(&format!("replscope explain: {message} (give it once)")),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // Once each is fine: the report, and exit 3 (its outcome: a full sync).
    let out = replscope(
        &["explain", &master, &replica, "--json", "--outage", "10s"],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("\"outcome\""),
        "{}",
        text(&out.stdout)
    );
}

/// `--seed N` replaces the scenario's `seed` line (documented behaviour, pinned).
#[test]
fn seed_option_replaces_the_seed_line() {
    let with = |seed_line: u64, option: Option<&str>| {
        let scn = format!("seed {seed_line}\nnode m\nm> INFO replication\n");
        let mut args = vec!["run"];
        if let Some(s) = option {
            args.extend(["--seed", s]);
        }
        args.push("-");
        let out = replscope(&args, Some(&scn));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert_eq!(with(5, Some("7")), with(7, None));
    assert_ne!(with(5, Some("7")), with(5, None));
    assert_eq!(with(5, Some("5")), with(5, None));
}

/// `--trace -` wrote a file named `-`: it is standard output, which then carries the
/// trace alone (the transcript goes to standard error).
#[test]
fn trace_dash_is_standard_output() {
    let (dir, scn) = scenario_in_temp_dir("dash", "node m\nm> SET a 1\nexpect m> GET a => \"1\"\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_replscope"))
        .args(["run", "--trace", "-", scn.to_str().unwrap()])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 3, "{stdout}");
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["seq"].is_u64(), "{line}");
    }
    assert_eq!(text(&out.stderr), "m> SET a 1\nOK\n");
    assert!(!dir.join("-").exists(), "no file named '-'");
    std::fs::remove_dir_all(&dir).ok();
}

/// Output that cannot be written (a full disk: /dev/full) exited 0: the transcript's
/// failure stops the run, the trace's is reported at the end, both with exit 2. A
/// trace path that is a device (here a link to one) is written in place: the old code
/// renamed a temporary file onto it, which, run as root, replaced /dev/null itself.
#[test]
#[cfg(target_os = "linux")]
fn output_that_cannot_be_written_fails_with_a_message() {
    use std::process::{Command, Stdio};
    let (dir, scn) = scenario_in_temp_dir("full", "node m\nm> SET a 1\n");
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let bin = env!("CARGO_BIN_EXE_replscope");
    let out = Command::new(bin)
        .args(["run", scn.to_str().unwrap()])
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "replscope: cannot write the transcript to standard output: No space left on device"
        ),
        "{}",
        text(&out.stderr)
    );
    // The trace on standard output.
    let out = Command::new(bin)
        .args(["run", "--trace", "-", scn.to_str().unwrap()])
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "replscope: cannot write the trace to standard output: No space left on device"
        ),
        "{}",
        text(&out.stderr)
    );
    // The trace to a device, through links in our own directory.
    let to_full = dir.join("full");
    let to_null = dir.join("null");
    std::os::unix::fs::symlink("/dev/full", &to_full).unwrap();
    std::os::unix::fs::symlink("/dev/null", &to_null).unwrap();
    let out = replscope(
        &[
            "run",
            "--trace",
            to_full.to_str().unwrap(),
            scn.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "replscope: cannot write trace {}: No space left on device",
            to_full.display()
        )),
        "{}",
        text(&out.stderr)
    );
    let out = replscope(
        &[
            "run",
            "--trace",
            to_null.to_str().unwrap(),
            scn.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "m> SET a 1\nOK\n");
    for link in [&to_full, &to_null] {
        let meta = std::fs::symlink_metadata(link).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "{} was replaced",
            link.display()
        );
    }
    let left = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(left, 3, "no temporary file left");
    // Help and version too.
    for arg in ["--help", "--version"] {
        let out = Command::new(bin)
            .arg(arg)
            .stdout(full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(text(&out.stderr).contains("cannot write to standard output"));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A console command still blocked after 10 simulated minutes: the transcript shows
/// the command (it showed nothing), then the error says why.
#[test]
fn a_command_that_stays_blocked_is_shown_before_the_error() {
    for line in ["m> BLPOP q 0", "m> BLPOP \"q\" 0"] {
        let out = replscope(
            &["run", "-"],
            Some(&format!("node m\nm> PING\n{line}\nm> PING\n")),
        );
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(text(&out.stdout), format!("m> PING\nPONG\n{line}\n"));
        assert_eq!(
            text(&out.stderr).trim_end(),
            "-:3:1: the command was still blocked after 10 simulated minutes"
        );
    }
}

/// A write held by a FAILOVER that cannot end (its replica is cut off) says so.
#[test]
fn a_write_held_by_a_failover_says_why() {
    let scn = "node m\nnode r1 replicaof=m\nwait sync\nm> SET a 1\npartition m r1\n\
               m> FAILOVER\nm> SET b 2\n";
    let out = replscope(&["run", "-"], Some(scn));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).ends_with("m> FAILOVER\nOK\nm> SET b 2\n"));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:7:1: the command was still blocked after 10 simulated minutes: writes are paused \
         while the node's FAILOVER waits for a replica to acknowledge its whole stream \
         (FAILOVER TIMEOUT ms ends the wait; ABORT needs another client)"
    );
}

/// A duration too long to count was "a bad duration": it is over the longest wait.
#[test]
fn an_overflowing_wait_is_too_long_not_bad() {
    let out = replscope(&["run", "-"], Some("node m\nwait 99999999999999999999ms\n"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "-:2:6: wait 99999999999999999999ms: over the simulator's limit of one week (10080m) \
         per wait"
    );
}

/// A failed expect that was probably mistyped gets the page console's note.
#[test]
fn a_mistyped_expect_gets_a_did_you_mean_note() {
    let scn = "node m\nnode r replicaof=m\nwait sync\n\
               expect m master_repl_ofset = 0\n\
               expect m master_repl_offset = x.master_repl_offset\n\
               expect r slave_repl_offset = m.master_repl_ofset\n\
               expect m slave0.ofset = 5\n\
               expect m nothing_like_this = 1\n\
               expect m role = slave\n";
    let out = replscope(&["run", "-"], Some(scn));
    assert_eq!(out.status.code(), Some(1));
    let notes: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.contains(": note: "))
        .map(String::from)
        .collect();
    assert_eq!(
        notes,
        [
            "-:4: note: INFO has master_repl_offset: did you mean it?",
            "-:5: note: There is no node x: the value was compared as text. A value \
             NODE.FIELD reads another node's INFO field.",
            "-:6: note: INFO of m has master_repl_offset: did you mean it?",
            "-:7: note: INFO has slave0.offset: did you mean it?",
        ]
    );
    assert_eq!(text(&out.stderr).matches("expect failed").count(), 6);
}

/// docs/trace-format.md names every kind of record a run makes.
#[test]
fn the_trace_format_doc_names_every_kind() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/trace-format.md"))
        .unwrap();
    let scn = "node m repl-diskless-sync-delay=0\nnode r replicaof=m\nlink m r latency=2ms\n\
               wait sync\nm> SET a 1\ndisconnect m r\nm> SET b 2\nreconnect m r\nwait sync\n\
               partition m r\nheal m r\nlose m r\nm> SET c 3\nwait 2s\nrestart m\ncrash r\n\
               start r\nwait 3s\n";
    let out = replscope(&["run", "--trace", "-", "-"], Some(scn));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut kinds = std::collections::BTreeSet::new();
    for line in text(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let e = &v["event"];
        kinds.insert(e["kind"].as_str().unwrap().to_string());
        for k in [&e["what"], &e["verb"], &e["detail"]["kind"], &e["reason"]] {
            if let Some(k) = k.as_str() {
                kinds.insert(k.to_string());
            }
        }
    }
    assert!(kinds.len() > 25, "{kinds:?}");
    for k in &kinds {
        assert!(
            doc.contains(&format!("`{k}`")),
            "docs/trace-format.md lacks `{k}`"
        );
    }
}

/// A real command the simulator does not have (CLIENT, TIME) and an INFO section it
/// does not print get a note on standard error, as on the page; a made-up command
/// does not, and the transcript keeps the replies as they are.
#[test]
fn a_real_command_not_simulated_gets_a_note() {
    let scn = "node m\nnode v version=valkey-8.1\nm> CLIENT LIST\nm> NOSUCHTHING x\n\
               v> time\nm> INFO memory\nm> INFO replication\n";
    let out = replscope(&["run", "-"], Some(scn));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let notes: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.contains(": note: "))
        .map(String::from)
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].starts_with(
        "-:3: note: CLIENT is a real redis-7.0 command that replscope does not simulate"
    ));
    assert!(notes[1].starts_with("-:5: note: TIME is a real valkey-8.1 command"));
    assert!(notes[2].starts_with("-:6: note: replscope's INFO has no memory section"));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ERR unknown command 'CLIENT', with args beginning with: 'LIST'"));
    assert!(stdout.contains("(error) ERR unknown command 'NOSUCHTHING'"));
}
