//! A raw HTTP/1.1 server on 127.0.0.1 for hostile-server tests.
//!
//! Every byte it sends is chosen by the test: a [`Reply`] is either a well-formed response or
//! one of the ways a hostile or broken server misbehaves (an endless body, a `Content-Length`
//! that lies, a header flood, a body that stalls, a request never answered). Every request that
//! reaches it is recorded whole (method, target as sent, headers in order, body after
//! de-chunking), and so is every byte read, so a test can assert what reached the server — or
//! that nothing did.
//!
//! The server stops when dropped: the accept loop and every connection task end, whatever they
//! were doing. A client that goes away early ends its connection quietly; nothing here panics on
//! I/O.
//!
//! The `hostile` module owns it (`crate::hostile::server`); `hostile_limits` and
//! `hostile_harness` use it from there.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Where an endless body stops when the client never does: 512 MiB.
pub const ENDLESS_CAP: u64 = 512 * 1024 * 1024;

/// A request head longer than this closes the connection.
const MAX_HEAD: usize = 1024 * 1024;

/// A request as it reached the server.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Which accepted connection carried it, from 1.
    pub connection: usize,
    /// The method, as sent.
    pub method: String,
    /// The request target, as sent (path and query, percent-encoding untouched).
    pub target: String,
    /// The headers in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked when it came chunked.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether any header is named `name` (case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The target's query, as sent.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Every header name and value, and the body, as one text (for "no secret here" checks).
    pub fn everything(&self) -> String {
        let mut text = format!("{} {}\n", self.method, self.target);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str(&self.body_text());
        text
    }
}

/// What the server answers to one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// These bytes exactly, then the connection closes.
    Raw(Vec<u8>),
    /// A well-formed response. `Content-Length` is added unless the headers already frame the
    /// body; the connection stays open for the next request unless a header says
    /// `Connection: close`.
    Response {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A chunked body: `prefix` once, then `piece` again and again until the client goes away
    /// or `cap` bytes of body were written; the connection then closes (no final chunk: the
    /// body never ends properly).
    Endless {
        status: u16,
        headers: Vec<(String, String)>,
        prefix: Vec<u8>,
        piece: Vec<u8>,
        cap: u64,
    },
    /// Announces `declared` bytes in `Content-Length`, sends `body` (shorter or longer), then
    /// closes the connection.
    LyingLength {
        status: u16,
        headers: Vec<(String, String)>,
        declared: u64,
        body: Vec<u8>,
    },
    /// A truthful `Content-Length`, the first `first` bytes of `body`, a pause, then the rest.
    Slow {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        first: usize,
        pause: Duration,
    },
    /// A response head with `count` extra headers, then `body`.
    HeaderFlood {
        status: u16,
        count: usize,
        body: Vec<u8>,
    },
    /// Reads the request and never answers; the connection stays open until the client closes
    /// it or the server is dropped.
    Silent,
    /// Closes the connection without a byte.
    Close,
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::body(status, "application/json", body.to_string())
    }

    /// `status` with `body` of the given media type.
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// `status` with an HTML page, as proxies and login screens answer.
    pub fn html(status: u16, page: &str) -> Reply {
        Reply::body(status, "text/html; charset=utf-8", page)
    }

    /// A redirect (`status` 301, 302, 303, 307 or 308) to `location`, with an empty body.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Response {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// A 200 whose chunked body repeats `piece` forever (up to [`ENDLESS_CAP`]).
    pub fn endless(status: u16, content_type: &str, piece: impl Into<Vec<u8>>) -> Reply {
        Reply::Endless {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            prefix: Vec::new(),
            piece: piece.into(),
            cap: ENDLESS_CAP,
        }
    }

    /// A JSON response whose `Content-Length` says `declared` while `body` is sent.
    pub fn lying_length(status: u16, declared: u64, body: impl Into<Vec<u8>>) -> Reply {
        Reply::LyingLength {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            declared,
            body: body.into(),
        }
    }

    /// A JSON response that sends `first` bytes, waits `pause`, then sends the rest.
    pub fn slow(status: u16, body: impl Into<Vec<u8>>, first: usize, pause: Duration) -> Reply {
        Reply::Slow {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            first,
            pause,
        }
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        match &mut self {
            Reply::Response { headers, .. }
            | Reply::Endless { headers, .. }
            | Reply::LyingLength { headers, .. }
            | Reply::Slow { headers, .. } => headers.push((name.into(), value.into())),
            Reply::Raw(_) | Reply::HeaderFlood { .. } | Reply::Silent | Reply::Close => {}
        }
        self
    }
}

/// Chooses the reply to each request.
pub type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

struct State {
    handler: Handler,
    requests: Mutex<Vec<Recorded>>,
    accepted: AtomicUsize,
    open: AtomicUsize,
    received: AtomicU64,
    sent: AtomicU64,
}

/// A running server; see the module documentation. Stops when dropped.
pub struct HostileServer {
    address: SocketAddr,
    scheme: &'static str,
    state: Arc<State>,
    _shutdown: watch::Sender<()>,
}

impl HostileServer {
    /// Serves plain HTTP on 127.0.0.1, answering each request with `handler(&request)`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::launch(Arc::new(handler), None).await
    }

    /// Serves HTTPS on 127.0.0.1 through `acceptor` (see [`TestCa`]).
    pub async fn start_tls(
        acceptor: tokio_rustls::TlsAcceptor,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::launch(Arc::new(handler), Some(acceptor)).await
    }

    /// Answers every request with `reply`.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_| reply.clone()).await
    }

    /// Answers the requests, on whatever connection they come, with `replies` in order; once
    /// they run out, with a 500 saying so.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        let replies = Mutex::new(VecDeque::from(replies));
        Self::start(move |_| {
            lock(&replies).pop_front().unwrap_or_else(|| {
                Reply::body(500, "text/plain", "the hostile server's script ran out")
            })
        })
        .await
    }

    async fn launch(handler: Handler, tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            handler,
            requests: Mutex::new(Vec::new()),
            accepted: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            received: AtomicU64::new(0),
            sent: AtomicU64::new(0),
        });
        let (shutdown, watcher) = watch::channel(());
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(accept_loop(listener, state.clone(), tls, watcher));
        HostileServer {
            address,
            scheme,
            state,
            _shutdown: shutdown,
        }
    }

    /// `http://127.0.0.1:PORT` (or `https://`).
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    /// The origin followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// The requests received so far whose path is `path`.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    /// How many bytes clients sent, over every connection (TLS records included).
    pub fn bytes_received(&self) -> u64 {
        self.state.received.load(Ordering::SeqCst)
    }

    /// How many bytes the server wrote, over every connection.
    pub fn bytes_sent(&self) -> u64 {
        self.state.sent.load(Ordering::SeqCst)
    }

    /// Waits up to `limit` for every connection to be closed; whether they all were.
    pub async fn all_closed_within(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while self.state.open.load(Ordering::SeqCst) > 0 {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A handler that panicked must not hide what was recorded before.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut shutdown: watch::Receiver<()>,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = shutdown.changed() => return,
        };
        let number = state.accepted.fetch_add(1, Ordering::SeqCst) + 1;
        let state = state.clone();
        let tls = tls.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            state.open.fetch_add(1, Ordering::SeqCst);
            let _open = OpenGuard(state.clone());
            let serve = async {
                let stream = Counted {
                    inner: stream,
                    state: state.clone(),
                };
                match tls {
                    // A refused handshake (a plain-HTTP client on the TLS port) is just a
                    // closed connection; the bytes it sent are counted all the same.
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            serve(stream, &state, number).await
                        }
                    }
                    None => serve(stream, &state, number).await,
                }
            };
            tokio::select! {
                () = serve => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

/// Counts the connection as open while its task lives, however the task ends.
struct OpenGuard(Arc<State>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A TCP stream that counts the bytes read from and written to it.
struct Counted {
    inner: tokio::net::TcpStream,
    state: Arc<State>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = (buf.filled().len() - before) as u64;
        self.state.received.fetch_add(read, Ordering::SeqCst);
        poll
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        if let std::task::Poll::Ready(Ok(n)) = &poll {
            self.state.sent.fetch_add(*n as u64, Ordering::SeqCst);
        }
        poll
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves one connection: request after request until a reply closes it or the client leaves.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(stream: S, state: &State, number: usize) {
    let mut connection = Connection {
        stream,
        buffer: Vec::new(),
    };
    while let Some(request) = connection.read_request(number).await {
        let client_closes = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        lock(&state.requests).push(request.clone());
        let reply = (state.handler)(&request);
        let keep_alive = connection.write(reply).await;
        if !keep_alive || client_closes {
            let _ = connection.stream.shutdown().await;
            return;
        }
    }
}

struct Connection<S> {
    stream: S,
    /// Bytes read but not yet consumed (a pipelined request may follow).
    buffer: Vec<u8>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    /// Reads more bytes into the buffer; false when the client closed or failed.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// One line without its CRLF, consumed from the buffer.
    async fn line(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n") {
                let line = self.buffer[..end].to_vec();
                self.buffer.drain(..end + 2);
                return Some(line);
            }
            if self.buffer.len() > MAX_HEAD || !self.fill().await {
                return None;
            }
        }
    }

    /// Exactly `n` bytes, consumed from the buffer.
    async fn exact(&mut self, n: usize) -> Option<Vec<u8>> {
        while self.buffer.len() < n {
            if !self.fill().await {
                return None;
            }
        }
        Some(self.buffer.drain(..n).collect())
    }

    async fn read_request(&mut self, connection: usize) -> Option<Recorded> {
        let request_line = String::from_utf8(self.line().await?).ok()?;
        let mut parts = request_line.split(' ');
        let method = parts.next()?.to_owned();
        let target = parts.next()?.to_owned();
        let mut headers = Vec::new();
        let mut head_size = request_line.len();
        loop {
            let line = self.line().await?;
            if line.is_empty() {
                break;
            }
            head_size += line.len();
            if head_size > MAX_HEAD {
                return None;
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let mut request = Recorded {
            connection,
            method,
            target,
            headers,
            body: Vec::new(),
        };
        let chunked = request
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            loop {
                let size_line = String::from_utf8(self.line().await?).ok()?;
                let size = size_line.split(';').next()?.trim();
                let size = usize::from_str_radix(size, 16).ok()?;
                if size == 0 {
                    // Trailers, up to the empty line.
                    while !self.line().await?.is_empty() {}
                    break;
                }
                request.body.extend(self.exact(size).await?);
                self.exact(2).await?;
            }
        } else if let Some(length) = request.header("content-length") {
            let length: usize = length.parse().ok()?;
            request.body = self.exact(length).await?;
        }
        Some(request)
    }

    /// Writes `bytes`; false when the client went away.
    async fn send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok() && self.stream.flush().await.is_ok()
    }

    /// Writes `reply`; whether the connection can serve another request.
    async fn write(&mut self, reply: Reply) -> bool {
        match reply {
            Reply::Raw(bytes) => {
                self.send(&bytes).await;
                false
            }
            Reply::Response {
                status,
                headers,
                body,
            } => {
                let framed = headers.iter().any(|(n, _)| {
                    n.eq_ignore_ascii_case("content-length")
                        || n.eq_ignore_ascii_case("transfer-encoding")
                });
                let closes = headers.iter().any(|(n, v)| {
                    n.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close")
                });
                let mut out = head(status, &headers, (!framed).then_some(body.len() as u64));
                out.extend_from_slice(&body);
                self.send(&out).await && !closes
            }
            Reply::Endless {
                status,
                mut headers,
                prefix,
                piece,
                cap,
            } => {
                headers.push(("Transfer-Encoding".into(), "chunked".into()));
                let mut out = head(status, &headers, None);
                if !prefix.is_empty() {
                    out.extend_from_slice(format!("{:x}\r\n", prefix.len()).as_bytes());
                    out.extend_from_slice(&prefix);
                    out.extend_from_slice(b"\r\n");
                }
                if !self.send(&out).await || piece.is_empty() {
                    return false;
                }
                // One chunk of about 64 KiB, written again and again.
                let repeats = (64 * 1024 / piece.len()).max(1);
                let data = piece.repeat(repeats);
                let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
                chunk.extend_from_slice(&data);
                chunk.extend_from_slice(b"\r\n");
                let mut written = 0u64;
                while written < cap && self.send(&chunk).await {
                    written += data.len() as u64;
                }
                false
            }
            Reply::LyingLength {
                status,
                headers,
                declared,
                body,
            } => {
                let mut out = head(status, &headers, Some(declared));
                out.extend_from_slice(&body);
                self.send(&out).await;
                false
            }
            Reply::Slow {
                status,
                headers,
                body,
                first,
                pause,
            } => {
                let first = first.min(body.len());
                let mut out = head(status, &headers, Some(body.len() as u64));
                out.extend_from_slice(&body[..first]);
                if !self.send(&out).await {
                    return false;
                }
                tokio::time::sleep(pause).await;
                self.send(&body[first..]).await
            }
            Reply::HeaderFlood {
                status,
                count,
                body,
            } => {
                let headers: Vec<(String, String)> = (0..count)
                    .map(|i| (format!("X-Flood-{i}"), "x".repeat(32)))
                    .collect();
                let mut out = head(status, &headers, Some(body.len() as u64));
                out.extend_from_slice(&body);
                self.send(&out).await;
                false
            }
            Reply::Silent => {
                // Hold the connection, reading and ignoring, until the client leaves.
                while self.fill().await {
                    self.buffer.clear();
                }
                false
            }
            Reply::Close => false,
        }
    }
}

/// A response head: status line, `headers`, `Content-Length` when given, blank line.
fn head(status: u16, headers: &[(String, String)], content_length: Option<u64>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = content_length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A throwaway CA and a TLS acceptor for 127.0.0.1 whose certificate it signed.
pub struct TestCa {
    /// The CA certificate, for `ClientBuilder::add_root_certificate_pem`.
    pub pem: String,
    /// Accepts TLS as 127.0.0.1 (see [`HostileServer::start_tls`]).
    pub acceptor: tokio_rustls::TlsAcceptor,
}

impl TestCa {
    /// A new CA and server certificate.
    pub fn new() -> TestCa {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::from_params(&ca_params, &ca_key);
        let server_key = KeyPair::generate().expect("server key");
        let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .expect("server params")
            .signed_by(&server_key, &issuer)
            .expect("server certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![server_cert.der().clone()], key)
            .expect("server config");
        TestCa {
            pem: ca_cert.pem(),
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        }
    }
}
