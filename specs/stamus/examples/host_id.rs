//! Lists the first probes of a Stamus Central Server, then prints what Host ID knows about an
//! address.
//!
//! ```sh
//! STAMUS_BASE_URL=https://10.11.0.12 STAMUS_TOKEN=3064d9... [STAMUS_INSECURE=1] \
//!     cargo run -p stamus-client --example host_id -- 10.0.0.101
//! ```
//!
//! SCS appliances usually present a self-signed certificate: `STAMUS_INSECURE=1` accepts it
//! (like `curl -k`); better, trust its PEM certificate with `STAMUS_CA_CERT=/path/to/ca.pem`.

use clientgen_runtime::futures::{pin_mut, StreamExt};
use stamus_client::operations::ListProbesParams;
use stamus_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("STAMUS_BASE_URL")
        .map_err(|_| "set STAMUS_BASE_URL to your SCS address, such as https://10.11.0.12")?;
    let token = std::env::var("STAMUS_TOKEN")
        .map_err(|_| "set STAMUS_TOKEN to an SCS API token (User Settings, Edit Token)")?;
    let ip = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "10.0.0.101".to_owned());

    let mut builder = Client::builder().base_url(base_url).api_key(token);
    if let Ok(path) = std::env::var("STAMUS_CA_CERT") {
        builder = builder.add_root_certificate_pem(std::fs::read(&path)?);
    }
    if std::env::var("STAMUS_INSECURE").is_ok_and(|v| v == "1") {
        eprintln!("warning: not verifying the server's TLS certificate");
        builder = builder.danger_accept_invalid_certs();
    }
    let client = builder.build()?;

    println!("probes:");
    let probes = client.list_probes_stream(&ListProbesParams::default(), Some(10));
    pin_mut!(probes);
    while let Some(probe) = probes.next().await {
        let probe = probe?;
        let template = match probe.parent_tmpl {
            Some(Some(pk)) => format!("template {pk}"),
            _ => "no template".to_owned(),
        };
        println!(
            "  {:>4} {} ({template})",
            probe.pk.unwrap_or_default(),
            probe.name
        );
    }

    println!("\nHost ID of {ip}:");
    let host = client.get_host_id(&ip).await?;
    let info = &host.host_id;
    println!("  first seen {}", info.first_seen);
    if let Some(last_seen) = info.last_seen {
        println!("  last seen  {last_seen}");
    }
    for name in info.hostname.iter().flatten() {
        println!("  host name  {}", name.host);
    }
    for service in info.services.iter().flatten() {
        let protocols: Vec<&str> = service
            .values
            .iter()
            .flatten()
            .filter_map(|v| v.app_proto.as_deref())
            .collect();
        println!(
            "  service    {}/{} {}",
            service.proto,
            service.port,
            protocols.join(", ")
        );
    }
    Ok(())
}
