// Copied by `cargo xtask regen` from `specs/security-onion/examples/grid_overview.rs`; edit it there, not here.
//! Prints the Security Onion version, the grid's nodes and the cases opened in the last 24 hours.
//!
//! Environment:
//! - `SECURITY_ONION_BASE_URL`: the manager, e.g. `https://securityonion.example`
//! - `SECURITY_ONION_CLIENT_ID`, `SECURITY_ONION_CLIENT_SECRET`: an API client (SOC ->
//!   Administration -> API Clients) with the `events/read` and `nodes/read` permissions
//! - `SECURITY_ONION_CA_CERT` (optional): path of the grid's CA certificate in PEM form, e.g. a
//!   copy of the manager's `/etc/pki/ca.crt`

use security_onion_client::operations::{GetInfoParams, ListGridNodesParams, SearchEventsParams};
use security_onion_client::Client;

fn required(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => {
            eprintln!("error: set the {name} environment variable");
            std::process::exit(2);
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = required("SECURITY_ONION_BASE_URL");
    let client_id = required("SECURITY_ONION_CLIENT_ID");
    let client_secret = required("SECURITY_ONION_CLIENT_SECRET");

    let mut builder = Client::builder()
        .base_url(base_url)
        .client_credentials(client_id, client_secret);
    if let Ok(path) = std::env::var("SECURITY_ONION_CA_CERT") {
        let pem = std::fs::read(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
        builder = builder.add_root_certificate_pem(pem);
    }
    let client = builder.build()?;

    let info = client.get_info(&GetInfoParams::default()).await?;
    println!(
        "Security Onion {} (Elasticsearch {}), license {}",
        info.version.as_deref().unwrap_or("?"),
        info.elastic_version.as_deref().unwrap_or("?"),
        info.license_status.as_deref().unwrap_or("?"),
    );

    for node in client
        .list_grid_nodes(&ListGridNodesParams::default())
        .await?
    {
        println!(
            "node {:<30} {:<16} {:<6} cpu {:>5.1}%",
            node.id.as_deref().unwrap_or("?"),
            node.role.as_deref().unwrap_or("?"),
            node.status.as_deref().unwrap_or("?"),
            node.cpu_used_pct.unwrap_or_default(),
        );
    }

    // Cases are searched through the events API, in the so-case index (case fields are stored
    // under `so_case.`).
    let layout = "%Y/%m/%d %I:%M:%S %p";
    let end = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let begin = end - chrono::Duration::hours(24);
    let range = format!("{} - {}", begin.format(layout), end.format(layout));
    let params = SearchEventsParams::new(
        r#"_index:"*:so-case""#.into(),
        range,
        "UTC".into(),
        "2006/01/02 3:04:05 PM".into(),
        10,
        25,
    );
    let results = client.search_events(&params).await?;
    println!(
        "{} case(s) in the last 24 hours",
        results.total_events.unwrap_or_default()
    );
    for event in results.events.unwrap_or_default() {
        let payload = event.payload.unwrap_or_default();
        println!(
            "  {} {}",
            payload
                .get("so_case.title")
                .and_then(|v| v.as_str())
                .unwrap_or("(untitled)"),
            payload
                .get("so_case.status")
                .and_then(|v| v.as_str())
                .unwrap_or(""),
        );
    }
    Ok(())
}
