//! An example downstream crate: code of one's own built on two generated clients, tested in
//! `tests/` against the clients' fakes (feature `fake`) as a user of the published crates would.
//!
//! Nothing here is specific to this repository: the crate could live anywhere, with
//! `security-onion-client` and `sekoia-client` taken from a registry.

use std::collections::BTreeMap;
use std::time::Duration;

use clientgen_runtime::jobs::JobOptions;
use futures::TryStreamExt;

/// The ids of the Security Onion grid nodes whose status is not `ok`, in the grid's order (a
/// node without an id is shown as `?`).
pub async fn unhealthy_nodes(
    client: &security_onion_client::Client,
) -> Result<Vec<String>, security_onion_client::Error> {
    let nodes = client.list_grid_nodes(&Default::default()).await?;
    Ok(nodes
        .into_iter()
        .filter(|node| node.status.as_deref() != Some("ok"))
        .map(|node| node.id.unwrap_or_else(|| "?".to_owned()))
        .collect())
}

/// Runs a Sekoia event search over the last day and counts the events per value of `field`
/// (events without it are counted under `""`).
pub async fn count_events_by(
    client: &sekoia_client::Client,
    query: &str,
    field: &str,
) -> Result<BTreeMap<String, usize>, sekoia_client::Error> {
    let search = sekoia_client::types::EventSearchJobCreate::new(
        query.to_owned(),
        "-1d".to_owned(),
        "now".to_owned(),
    );
    let options = JobOptions {
        timeout: Duration::from_secs(60),
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_secs(2),
    };
    let events = client
        .search_events(&search, &Default::default(), None, options)
        .await?;
    events
        .try_fold(BTreeMap::new(), |mut counts, event| async move {
            let value = match event.get(field) {
                Some(value) => value
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| value.to_string()),
                None => String::new(),
            };
            *counts.entry(value).or_insert(0) += 1;
            Ok(counts)
        })
        .await
}

/// The names of every Sekoia detection rule whose name matches `filter`, fetching pages of
/// `page_size` rules as needed.
pub async fn rule_names(
    client: &sekoia_client::Client,
    filter: &str,
    page_size: i64,
) -> Result<Vec<String>, sekoia_client::Error> {
    let params = sekoia_client::operations::ListRulesParams {
        match_name: Some(filter.to_owned()),
        limit: Some(page_size),
        ..Default::default()
    };
    client
        .list_rules_stream(&params, None)
        .map_ok(|rule| rule.name)
        .try_collect()
        .await
}
