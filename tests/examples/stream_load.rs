//! Streams N items (default 1,000,000) through `sekoia_client::Client::list_rules_stream` from
//! a loopback server in the same process that makes each page on the fly, and prints items per
//! second. `cargo xtask bench-stream` runs it under `/usr/bin/time -v` for the peak memory of
//! the whole process.
//!
//! The server is a minimal keep-alive HTTP/1.1 responder on a tokio `TcpListener` (wiremock's
//! server grows with the number of requests served, which would hide the client's own curve).
//!
//! Usage: `stream_load [ITEMS] [PAGE_SIZE]`.

use std::time::Instant;

use clientgen_runtime::futures::StreamExt;
use sekoia_client::operations::ListRulesParams;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The JSON page at `offset` of a list of `total` rules.
fn page(offset: u64, limit: u64, total: u64) -> String {
    let mut body = String::with_capacity(limit as usize * 120 + 64);
    body.push_str(&format!(
        "{{\"total\":{total},\"has_more\":{},\"items\":[",
        offset + limit < total
    ));
    for i in offset..total.min(offset + limit) {
        if i > offset {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"uuid\":\"00000000-0000-4000-8000-{i:012}\",\"name\":\"rule {i}\",\"type\":\"sigma\",\"severity\":{},\"enabled\":true}}",
            i % 100
        ));
    }
    body.push_str("]}");
    body
}

/// Answers every request on `stream` with the page its `offset` and `limit` ask for.
async fn serve(mut stream: TcpStream, total: u64) {
    let mut pending = Vec::with_capacity(4096);
    let mut buffer = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&buffer[..n]),
            }
        };
        let head = String::from_utf8_lossy(&pending[..end]).into_owned();
        pending.drain(..end);
        let target = head.split_whitespace().nth(1).unwrap_or("/");
        let number = |name: &str| {
            target.split(['?', '&']).find_map(|pair| {
                pair.strip_prefix(name)?
                    .strip_prefix('=')?
                    .parse::<u64>()
                    .ok()
            })
        };
        let body = page(
            number("offset").unwrap_or(0),
            number("limit").unwrap_or(100),
            total,
        );
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let page_size: i64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, total));
            }
        });
        let client = sekoia_client::Client::builder()
            .base_url(format!("http://{address}/v1"))
            .bearer_token("bench")
            .build()
            .expect("client");
        let params = ListRulesParams {
            limit: Some(page_size),
            ..Default::default()
        };
        let started = Instant::now();
        let mut stream = std::pin::pin!(client.list_rules_stream(&params, None));
        let (mut count, mut severity_sum) = (0u64, 0i64);
        while let Some(rule) = stream.next().await {
            severity_sum += rule.expect("item").severity.unwrap_or_default();
            count += 1;
        }
        let elapsed = started.elapsed().as_secs_f64();
        assert_eq!(count, total, "every item arrives once");
        println!(
            "streamed {count} items in {elapsed:.2} s: {:.0} items/s (page size {page_size}, checksum {severity_sum})",
            count as f64 / elapsed
        );
    });
}
