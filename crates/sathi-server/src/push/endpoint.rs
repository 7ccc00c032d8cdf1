//! Which push endpoints the server sends to. A subscription's endpoint is a URL that a browser
//! gave, so it is untrusted input that makes the server send requests: a server-side request
//! forgery surface. By default only `https://` URLs whose host resolves to public addresses are
//! used. Loopback `http://` is allowed only when [`super::PushSettings::allow_loopback_http`]
//! is set, as the tests do.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Maximum endpoint length accepted, in bytes. Endpoints of the major push services are a few hundred
/// bytes long.
pub const MAX_ENDPOINT_BYTES: usize = 2000;

/// Reason an endpoint is rejected. Messages never contain the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("the endpoint is not a valid absolute URL")]
    Invalid,
    #[error("the endpoint is longer than {MAX_ENDPOINT_BYTES} bytes")]
    TooLong,
    #[error("the endpoint must use https")]
    NotHttps,
    #[error("the endpoint must not contain a user name or password")]
    HasCredentials,
    #[error("the endpoint's address is not a public internet address")]
    AddressNotAllowed,
}

/// Parses `endpoint` and checks it against the rules above. Host names are resolved only when
/// the request is sent (see [`PublicResolver`]), so this checks literal addresses only.
pub fn check_endpoint(endpoint: &str, allow_loopback_http: bool) -> Result<Url, EndpointError> {
    if endpoint.len() > MAX_ENDPOINT_BYTES {
        return Err(EndpointError::TooLong);
    }
    let url = Url::parse(endpoint).map_err(|_| EndpointError::Invalid)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(EndpointError::HasCredentials);
    }
    let host = url.host().ok_or(EndpointError::Invalid)?;
    let literal = match host {
        url::Host::Ipv4(address) => Some(IpAddr::V4(address)),
        url::Host::Ipv6(address) => Some(IpAddr::V6(address)),
        url::Host::Domain(_) => None,
    };
    let loopback = match literal {
        Some(address) => address.is_loopback(),
        None => url.host_str().is_some_and(|name| name.eq_ignore_ascii_case("localhost")),
    };
    match url.scheme() {
        "https" => {}
        "http" if allow_loopback_http && loopback => {}
        _ => return Err(EndpointError::NotHttps),
    }
    if loopback && allow_loopback_http {
        return Ok(url);
    }
    if literal.is_some_and(|address| !is_public_address(address)) || loopback {
        return Err(EndpointError::AddressNotAllowed);
    }
    Ok(url)
}

/// Whether `address` is a public unicast internet address: not private, loopback, link-local,
/// shared (carrier-grade NAT), documentation, benchmarking, multicast, broadcast or reserved.
/// The standard library's `is_global` would do this but is not stable (Rust 1.94).
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(address) => is_public_v4(address),
        IpAddr::V6(address) => match address.to_ipv4_mapped() {
            Some(mapped) => is_public_v4(mapped),
            None => is_public_v6(address),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [first, second, third, _] = address.octets();
    !(address.is_private()
        || address.is_loopback()
        || address.is_link_local()
        || address.is_unspecified()
        || address.is_broadcast()
        || address.is_multicast()
        || address.is_documentation()
        || first == 0
        // 100.64.0.0/10, shared address space (RFC 6598).
        || (first == 100 && (64..128).contains(&second))
        // 192.0.0.0/24, IETF protocol assignments.
        || (first == 192 && second == 0 && third == 0)
        // 198.18.0.0/15, benchmarking (RFC 2544).
        || (first == 198 && (18..20).contains(&second))
        // 240.0.0.0/4, reserved.
        || first >= 240)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let segments = address.segments();
    !(address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        // fc00::/7, unique local.
        || (segments[0] & 0xfe00) == 0xfc00
        // fe80::/10, link-local.
        || (segments[0] & 0xffc0) == 0xfe80
        // 2001:db8::/32, documentation.
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
        // 64:ff9b:1::/48, local-use IPv4/IPv6 translation.
        || (segments[0] == 0x0064 && segments[1] == 0xff9b && segments[2] == 0x0001))
}

/// The push client's DNS resolver: resolves with the system resolver and keeps only public
/// addresses (and loopback ones when allowed), so a host name that points into the private
/// network is rejected at connect time, after any DNS change.
#[derive(Debug, Clone, Copy)]
pub struct PublicResolver {
    pub allow_loopback: bool,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|socket| {
                    is_public_address(socket.ip()) || (allow_loopback && socket.ip().is_loopback())
                })
                .collect();
            if allowed.is_empty() {
                return Err(
                    Box::new(EndpointError::AddressNotAllowed) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules_in_production() {
        let cases = [
            ("https://fcm.googleapis.com/fcm/send/abc", Ok(())),
            ("https://8.8.8.8/push/1", Ok(())),
            ("http://push.example.net/1", Err(EndpointError::NotHttps)),
            ("http://127.0.0.1:9000/push", Err(EndpointError::NotHttps)),
            ("https://127.0.0.1/push", Err(EndpointError::AddressNotAllowed)),
            ("https://localhost/push", Err(EndpointError::AddressNotAllowed)),
            ("https://10.1.2.3/push", Err(EndpointError::AddressNotAllowed)),
            ("https://192.168.0.10/push", Err(EndpointError::AddressNotAllowed)),
            ("https://169.254.169.254/latest", Err(EndpointError::AddressNotAllowed)),
            ("https://[::1]/push", Err(EndpointError::AddressNotAllowed)),
            ("https://[fd00::1]/push", Err(EndpointError::AddressNotAllowed)),
            ("https://[::ffff:10.0.0.1]/push", Err(EndpointError::AddressNotAllowed)),
            ("https://user:secret@push.example.net/1", Err(EndpointError::HasCredentials)),
            ("ftp://push.example.net/1", Err(EndpointError::NotHttps)),
            ("not a url", Err(EndpointError::Invalid)),
        ];
        for (endpoint, expected) in cases {
            assert_eq!(check_endpoint(endpoint, false).map(|_| ()), expected, "{endpoint}");
        }
    }

    #[test]
    fn endpoint_rules_with_loopback_http() {
        assert!(check_endpoint("http://127.0.0.1:9000/push", true).is_ok());
        assert!(check_endpoint("http://localhost:9000/push", true).is_ok());
        assert_eq!(check_endpoint("http://10.0.0.1/push", true).map(|_| ()), Err(EndpointError::NotHttps));
        assert_eq!(
            check_endpoint("https://10.0.0.1/push", true).map(|_| ()),
            Err(EndpointError::AddressNotAllowed)
        );
    }

    #[test]
    fn endpoint_length_limit() {
        let long = format!("https://push.example.net/{}", "a".repeat(MAX_ENDPOINT_BYTES));
        assert_eq!(check_endpoint(&long, false).map(|_| ()), Err(EndpointError::TooLong));
    }

    #[test]
    fn public_address_table() {
        let public = ["1.1.1.1", "142.250.1.1", "2606:4700::1111", "::ffff:8.8.8.8"];
        let not_public = [
            "0.0.0.0",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "172.16.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:192.168.1.1",
        ];
        for text in public {
            assert!(is_public_address(text.parse().unwrap()), "{text} should be public");
        }
        for text in not_public {
            assert!(!is_public_address(text.parse().unwrap()), "{text} should not be public");
        }
    }
}
