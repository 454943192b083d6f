//! The redirect policy: which redirects a request follows, and how.
//!
//! The runtime's HTTP client follows no redirect by itself (`reqwest`'s policy is `none`); every
//! request the runtime sends (API calls, pagination links, and the token exchange, which
//! follows none at all) is followed here, by one rule:
//!
//! - only to the same origin: a `Location` that changes the scheme (`https` to `http`
//!   included), the host or the port is refused, so credentials, default headers and request
//!   bodies never reach another server;
//! - as HTTP says: `303` becomes a `GET` without a body; `301` and `302` after a `POST` become a
//!   `GET` without a body (as every browser does); `307` and `308` keep the method and body;
//! - at most [`MAX_REDIRECTS`] hops; the next one is refused;
//! - no `Referer` is ever sent.
//!
//! A refused redirect is [`Error::Redirect`](crate::Error::Redirect): it names the status and
//! the `Location` (without its query string, which may carry a signature or a token) and says
//! that nothing was sent there.

use http::{HeaderMap, Method, StatusCode};
use url::Url;

/// The most redirects one request follows.
pub const MAX_REDIRECTS: usize = 5;

/// Whether `status` asks the client to go elsewhere (the statuses with a `Location` to follow).
pub fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The request to send after a redirect that is followed.
#[derive(Debug, PartialEq, Eq)]
pub struct Hop {
    /// Where to send it.
    pub url: Url,
    /// The method to send it with.
    pub method: Method,
    /// Whether the request body (and its `Content-Type`) goes along.
    pub keep_body: bool,
}

/// A redirect that is not followed.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The `Location` as it can be shown: resolved when possible, without query or fragment.
    pub location: String,
    /// Why it was refused.
    pub reason: String,
}

/// Decides what to do with a redirect `status` answered to `method` on `from`, after `hops`
/// redirects already followed for this request.
pub fn next_hop(
    status: StatusCode,
    method: &Method,
    from: &Url,
    headers: &HeaderMap,
    hops: usize,
) -> Result<Hop, Refusal> {
    let raw = headers
        .get(http::header::LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(raw) = raw else {
        return Err(Refusal {
            location: String::new(),
            reason: "the response has no `Location` header".to_owned(),
        });
    };
    let url = match from.join(raw.trim()) {
        // A fragment (`#/job/12`, as Security Onion's job lookup answers) names a place inside
        // the page for a browser; it is never sent, and the HTTP client drops it from the URL it
        // reports, so it is dropped here too.
        Ok(mut url) => {
            url.set_fragment(None);
            url
        }
        Err(e) => {
            return Err(Refusal {
                location: shown(&raw),
                reason: format!("the `Location` is not a usable URL: {e}"),
            })
        }
    };
    let location = shown_url(&url);
    if url.scheme() != from.scheme() {
        let reason = if from.scheme() == "https" && url.scheme() == "http" {
            "it downgrades the connection from https to plain http".to_owned()
        } else {
            format!(
                "it changes the scheme from {} to {}",
                from.scheme(),
                url.scheme()
            )
        };
        return Err(Refusal { location, reason });
    }
    if !same_origin(&url, from) {
        return Err(Refusal {
            location,
            reason: "it points to another origin (host or port) than the request; credentials and request data are only ever sent to the API's own origin".to_owned(),
        });
    }
    if hops >= MAX_REDIRECTS {
        return Err(Refusal {
            location,
            reason: format!("more than {MAX_REDIRECTS} redirects in a row"),
        });
    }
    let (method, keep_body) = match status.as_u16() {
        303 if *method != Method::HEAD => (Method::GET, false),
        301 | 302 if *method == Method::POST => (Method::GET, false),
        _ => (method.clone(), true),
    };
    Ok(Hop {
        url,
        method,
        keep_body,
    })
}

/// Whether `a` and `b` share scheme, host and port (the port a scheme implies counts).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL as an error may show it: no credentials, query or fragment.
pub(crate) fn shown_url(url: &Url) -> String {
    let mut url = url.clone();
    // Neither call can fail on a URL with a host, which every http(s) URL has.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// A raw `Location` as an error may show it: without what follows `?` or `#`.
fn shown(raw: &str) -> String {
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    crate::transport::redact_userinfo(&raw[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::LOCATION, value.parse().expect("header"));
        headers
    }

    fn from() -> Url {
        Url::parse("https://soc.example:8443/api/v1/cases?page=2").expect("url")
    }

    fn hop(status: u16, method: Method, to: &str) -> Result<Hop, Refusal> {
        next_hop(
            StatusCode::from_u16(status).expect("status"),
            &method,
            &from(),
            &location(to),
            0,
        )
    }

    #[test]
    fn same_origin_relative_and_absolute_locations_are_followed() {
        let next = hop(302, Method::GET, "/api/v2/cases").expect("followed");
        assert_eq!(next.url.as_str(), "https://soc.example:8443/api/v2/cases");
        let next = hop(308, Method::GET, "https://soc.example:8443/x").expect("followed");
        assert_eq!(next.url.path(), "/x");
    }

    #[test]
    fn a_fragment_in_the_location_is_dropped_as_it_is_never_sent() {
        let next = hop(302, Method::GET, "/#/job/12").expect("followed");
        assert_eq!(next.url.as_str(), "https://soc.example:8443/");
        assert_eq!(next.url.fragment(), None);
    }

    #[test]
    fn another_scheme_host_or_port_is_refused() {
        for to in [
            "http://soc.example:8443/api",
            "https://evil.example:8443/api",
            "https://soc.example:9443/api",
            "https://soc.example/api",
            "//evil.example/api",
        ] {
            let refusal = hop(302, Method::GET, to).expect_err(to);
            assert!(!refusal.reason.is_empty(), "{to}");
        }
        let downgrade =
            hop(301, Method::GET, "http://soc.example:8443/api").expect_err("downgrade");
        assert!(
            downgrade.reason.contains("https to plain http"),
            "{downgrade:?}"
        );
    }

    #[test]
    fn methods_and_bodies_change_as_http_says() {
        for (status, method, expected, keep_body) in [
            (303, Method::POST, Method::GET, false),
            (303, Method::PUT, Method::GET, false),
            (303, Method::HEAD, Method::HEAD, true),
            (302, Method::POST, Method::GET, false),
            (301, Method::POST, Method::GET, false),
            (302, Method::PUT, Method::PUT, true),
            (307, Method::POST, Method::POST, true),
            (308, Method::PATCH, Method::PATCH, true),
        ] {
            let next = hop(status, method.clone(), "/other").expect("followed");
            assert_eq!(
                (next.method, next.keep_body),
                (expected, keep_body),
                "{status} after {method}"
            );
        }
    }

    #[test]
    fn the_hop_limit_is_enforced() {
        let headers = location("/again");
        let status = StatusCode::FOUND;
        assert!(next_hop(status, &Method::GET, &from(), &headers, MAX_REDIRECTS - 1).is_ok());
        let refusal =
            next_hop(status, &Method::GET, &from(), &headers, MAX_REDIRECTS).expect_err("limit");
        assert!(refusal.reason.contains("redirects"), "{refusal:?}");
    }

    #[test]
    fn a_missing_or_unusable_location_is_refused() {
        let refusal = next_hop(
            StatusCode::FOUND,
            &Method::GET,
            &from(),
            &HeaderMap::new(),
            0,
        )
        .expect_err("none");
        assert!(refusal.reason.contains("no `Location`"));
        assert!(hop(302, Method::GET, "http://[::1").is_err());
    }

    #[test]
    fn a_refused_location_is_shown_without_query_or_userinfo() {
        let refusal = hop(
            302,
            Method::GET,
            "https://user:pw@evil.example/steal?token=s3cr3t#frag",
        )
        .expect_err("foreign");
        assert_eq!(refusal.location, "https://evil.example/steal");
    }
}
