//! The contract tests' peer: Stoplight Prism (`@stoplight/prism-cli`, pinned in the repository's
//! `package.json` and installed by `npm ci`, which `cargo xtask test` runs) mocking one vendor's
//! `specs/<vendor>/openapi.yaml` on 127.0.0.1.
//!
//! Prism checks every request against the spec (parameters, bodies, security) and answers from
//! the spec's examples. It runs with `--errors`, so a request that violates the spec gets an error
//! status instead of a best-effort answer, and so does a response Prism built that violates the
//! spec. [`Prism::check`] fails a test on an error result *and* on any violation Prism logged while
//! handling the call, so warnings that do not change the status are caught too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long Prism may take to load a spec and start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);
/// How many ports to try when Prism cannot bind the one chosen.
const START_ATTEMPTS: usize = 3;
/// How long a marker request may take to show up in Prism's log.
const LOG_LIMIT: Duration = Duration::from_secs(20);
/// The path of the requests [`Prism::check`] sends to find where one call's log lines end.
const MARKER_PATH: &str = "/__clientgen_mark";

/// A running Prism mock server; stopped when dropped.
pub struct Prism {
    child: Child,
    port: u16,
    vendor: String,
    log: Arc<Mutex<Vec<String>>>,
    /// Log lines before this index belong to calls already checked.
    consumed: AtomicUsize,
    markers: AtomicUsize,
}

impl Prism {
    /// Starts Prism on a free port of 127.0.0.1, serving `specs/<vendor>/openapi.yaml`, and waits
    /// until it says it is listening there.
    ///
    /// The port is free when chosen but another process could take it before Prism binds it;
    /// Prism then exits, and a new port is tried. Waiting for Prism's own "listening" line (not
    /// merely for the port to accept connections) keeps a test from talking to someone else's
    /// server on a reused port.
    ///
    /// # Panics
    /// When Prism is not installed (run `npm ci` at the repository root) or does not start.
    pub async fn start(vendor: &str) -> Prism {
        let root = repository_root();
        let spec = root.join("specs").join(vendor).join("openapi.yaml");
        assert!(spec.is_file(), "no spec at {}", spec.display());
        let program = root.join("node_modules/.bin/prism");
        assert!(
            program.exists(),
            "Prism is not installed at {}: run `npm ci` at the repository root (cargo xtask test does)",
            program.display()
        );
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let mut child = Command::new(&program)
                .args([
                    "mock",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    &port.to_string(),
                    "--errors",
                ])
                .arg(&spec)
                .current_dir(&root)
                .env("NO_COLOR", "1")
                .env("FORCE_COLOR", "0")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
            let log = Arc::new(Mutex::new(Vec::new()));
            collect_lines(child.stdout.take().expect("piped stdout"), &log);
            collect_lines(child.stderr.take().expect("piped stderr"), &log);
            let mut prism = Prism {
                child,
                port,
                vendor: vendor.to_owned(),
                log,
                consumed: AtomicUsize::new(0),
                markers: AtomicUsize::new(0),
            };
            match prism.wait_until_listening().await {
                Ok(()) => {
                    prism.consumed.store(prism.log_len(), Ordering::SeqCst);
                    return prism;
                }
                Err(failure) => failures.push(failure),
            }
        }
        panic!(
            "{vendor}: Prism did not start in {START_ATTEMPTS} attempts:\n{}",
            failures.join("\n\n")
        );
    }

    /// The base URL to point a generated client at. Prism serves the spec's paths at the root:
    /// the path part of the spec's server URL is not used.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Returns the value of a successful call, after checking Prism logged no violation of the
    /// spec while serving it.
    ///
    /// # Panics
    /// When `result` is an error (a 422 from Prism for a request that violates the spec, an
    /// undecodable response, …) or Prism's log holds a violation for this call.
    pub fn check<T, E: std::fmt::Debug>(&self, operation: &str, result: Result<T, E>) -> T {
        let lines = self.lines_of_last_call();
        let violations: Vec<&String> = lines.iter().filter(|line| is_violation(line)).collect();
        match result {
            Err(error) => panic!(
                "{}: `{operation}` failed against Prism: {error:?}\nPrism's log for this call:\n{}",
                self.vendor,
                lines.join("\n")
            ),
            Ok(value) => {
                assert!(
                    violations.is_empty(),
                    "{}: Prism reported violations of the spec for `{operation}`:\n{}\nfull log for this call:\n{}",
                    self.vendor,
                    violations.iter().map(|line| line.as_str()).collect::<Vec<_>>().join("\n"),
                    lines.join("\n")
                );
                value
            }
        }
    }

    /// Checks that Prism logged no violation of the spec since the previous check, for calls
    /// made some other way than through [`Prism::check`] (an example program, say).
    ///
    /// # Panics
    /// When Prism's log holds a violation since the previous check.
    pub fn assert_clean(&self, label: &str) {
        self.check(label, Ok::<(), ()>(()));
    }

    /// The log lines written since the previous check. A marker request ends the call's lines:
    /// Prism handles requests in order, so everything the call logged comes before the marker.
    fn lines_of_last_call(&self) -> Vec<String> {
        let marker = format!(
            "{MARKER_PATH}/{}",
            self.markers.fetch_add(1, Ordering::SeqCst)
        );
        self.send_marker(&marker);
        // The log line names the path followed by a space, which keeps marker 1 from matching 10.
        let tagged = format!("{marker} ");
        let deadline = Instant::now() + LOG_LIMIT;
        loop {
            {
                let log = self.log.lock().expect("log lock");
                let start = self.consumed.load(Ordering::SeqCst);
                let received = log[start..].iter().position(|line| line.contains(&tagged));
                if let Some(offset) = received {
                    let lines = log[start..start + offset]
                        .iter()
                        .filter(|line| !line.contains(MARKER_PATH))
                        .cloned()
                        .collect();
                    self.consumed.store(start + offset + 1, Ordering::SeqCst);
                    return lines;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{}: Prism never logged marker request {marker}",
                self.vendor
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn send_marker(&self, marker: &str) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to Prism");
        write!(
            stream,
            "GET {marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("send marker request");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("read marker answer");
    }

    /// Waits for Prism's "listening on" line for this port; an error (with Prism's output) when
    /// it exits first or takes longer than [`STARTUP_LIMIT`].
    async fn wait_until_listening(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_LIMIT;
        let listening = format!("listening on http://127.0.0.1:{}", self.port);
        loop {
            if self
                .log
                .lock()
                .expect("log lock")
                .iter()
                .any(|line| line.contains(&listening))
            {
                return Ok(());
            }
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() > deadline {
                // Let the reader threads take the last lines.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let why = match exited {
                    Some(status) => format!("exited ({status})"),
                    None => format!("did not listen within {STARTUP_LIMIT:?}"),
                };
                return Err(format!(
                    "Prism on port {} {why}; its output:\n{}",
                    self.port,
                    self.log.lock().expect("log lock").join("\n")
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_len(&self) -> usize {
        self.log.lock().expect("log lock").len()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A line where Prism reports that a request or its own response breaks the spec, or that it
/// could not serve the request.
fn is_violation(line: &str) -> bool {
    line.contains("Violation")
        || line.contains('✖')
        || (line.contains("[VALIDATOR]") && line.contains('⚠'))
}

fn collect_lines(stream: impl Read + Send + 'static, log: &Arc<Mutex<Vec<String>>>) {
    let log = Arc::clone(log);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            log.lock().expect("log lock").push(line);
        }
    });
}

/// A port nothing listens on right now (the OS picks it; Prism binds it a moment later).
fn free_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
