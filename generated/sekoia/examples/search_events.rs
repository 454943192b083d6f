// Copied by `cargo xtask regen` from `specs/sekoia/examples/search_events.rs`; edit it there, not here.
//! Checks the API key, lists the most recent alerts, then runs an event search job and prints the
//! events it finds.
//!
//! ```sh
//! SEKOIA_TOKEN=... [SEKOIA_BASE_URL=https://api.sekoia.io/v1] \
//!     cargo run -p sekoia-client --example search_events -- 'source.ip:"1.2.3.4"'
//! ```
//!
//! The query (Sekoia's dork syntax) is the first argument; the window is the last 24 hours.

use clientgen_runtime::futures::{pin_mut, StreamExt};
use clientgen_runtime::jobs::JobOptions;
use sekoia_client::operations::{GetEventSearchJobEventsParams, ListAlertsParams};
use sekoia_client::types::{EventSearchJobCreate, SortDirection};
use sekoia_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SEKOIA_TOKEN")
        .map_err(|_| "set SEKOIA_TOKEN to a Sekoia.io API key")?;
    let base_url = std::env::var("SEKOIA_BASE_URL")
        .unwrap_or_else(|_| sekoia_client::DEFAULT_BASE_URL.to_owned());
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "event.category:authentication".to_owned());

    let client = Client::builder()
        .base_url(base_url)
        .bearer_token(token)
        .build()?;

    let identity = client.validate_api_key().await?;
    println!("authenticated: {identity:?}");

    let recent = ListAlertsParams {
        direction: Some(SortDirection::Desc),
        ..Default::default()
    };
    let alerts = client.list_alerts_stream(&recent, Some(10));
    pin_mut!(alerts);
    println!("\nlatest alerts:");
    while let Some(alert) = alerts.next().await {
        let alert = alert?;
        let id = alert.short_id.as_deref().unwrap_or("-");
        let title = alert.title.as_deref().unwrap_or("(untitled)");
        println!("  {id} {title}");
    }

    println!("\nevents matching {query:?} in the last 24 hours:");
    let search = EventSearchJobCreate::new(query, "-24h".to_owned(), "now".to_owned());
    let events = client
        .search_events(
            &search,
            &GetEventSearchJobEventsParams::default(),
            Some(20),
            JobOptions::default(),
        )
        .await?;
    pin_mut!(events);
    while let Some(event) = events.next().await {
        println!("  {}", serde_json::to_string(&event?)?);
    }
    Ok(())
}
