//! Calls a generated client against a loopback server in the same process that answers with a
//! body that never ends (chunked, 64 KiB chunks, until the client hangs up), and prints what the
//! client returned. `cargo xtask bench-limits` runs it under `wait4` for the peak memory of the
//! whole process, with several limits, next to a run whose body is small (the baseline).
//!
//! Usage: `endless_body LIMIT_MIB` (the client's `max_response_bytes`), or `endless_body
//! baseline` for one small answer.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one request head, then answers `200` with a JSON body: endless, or small.
async fn serve(mut stream: TcpStream, endless: bool) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    if !endless {
        let body = b"{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}";
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes()).await;
        let _ = stream.write_all(body).await;
        return;
    }
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
    chunk.extend(std::iter::repeat_n(b' ', 64 * 1024));
    chunk.extend_from_slice(b"\r\n");
    // Bounded all the same: stop after 4 GiB if the client never hangs up.
    for _ in 0..(64 * 1024) {
        if stream.write_all(&chunk).await.is_err() {
            return;
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let argument = std::env::args().nth(1).unwrap_or_else(|| "32".to_owned());
    let (endless, limit) = match argument.as_str() {
        "baseline" => (false, 32 * 1024 * 1024),
        mib => match mib.parse::<usize>() {
            Ok(mib) => (true, mib * 1024 * 1024),
            Err(_) => {
                eprintln!("usage: endless_body LIMIT_MIB | baseline");
                std::process::exit(2);
            }
        },
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, endless));
        }
    });
    let client = stamus_client::Client::builder()
        .base_url(format!("http://{address}/rest"))
        .api_key("k3y")
        .max_response_bytes(limit)
        .retry(clientgen_runtime::RetryPolicy::none())
        .build()
        .expect("client");
    let started = Instant::now();
    let outcome = client
        .list_host_ids(&Default::default())
        .await
        .map(|page| format!("a page of {} hosts", page.results.len()));
    let elapsed = started.elapsed();
    match outcome {
        Ok(what) => println!("ok: {what} in {elapsed:.2?}"),
        Err(error) => println!("error after {elapsed:.2?}: {error}"),
    }
}
