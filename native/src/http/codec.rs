//! The bytes HTTP requests and responses cross JNI in (Java's home: `dev.wasmbridge.http.HttpCodec`),
//! and the `wasi:http` error codes by their WIT names (Java's `HttpErrorCode`).
//!
//! Every integer is a little-endian u32; a string or a byte string is its length then its bytes.
//! - fields (headers, trailers): the number of entries, then each name and value, in order (a name
//!   given twice is two entries);
//! - a request head: method, scheme (empty: none), authority (empty: none), path with query, then
//!   its fields.

use http::{HeaderMap, HeaderName, HeaderValue};
use wasmtime_wasi_http::p2::bindings::http::types::ErrorCode;

use crate::bridge::error::{Error, Result};

/// Reads what `HttpCodec` wrote, refusing anything short or malformed.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    pub fn u32(&mut self) -> Result<u32> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<4>()
            .ok_or_else(|| Error::IllegalArgument("truncated HTTP head encoding".into()))?;
        self.bytes = rest;
        Ok(u32::from_le_bytes(*head))
    }

    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() {
            return Err(Error::IllegalArgument(
                "truncated HTTP head encoding".into(),
            ));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn string(&mut self) -> Result<&'a str> {
        std::str::from_utf8(self.bytes()?)
            .map_err(|_| Error::IllegalArgument("an HTTP head string is not UTF-8".into()))
    }

    pub fn done(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Reads fields into a header map: a name or value HTTP does not allow is an
/// `IllegalArgumentException` naming it.
pub fn read_fields(r: &mut Reader<'_>) -> Result<HeaderMap> {
    let n = r.u32()?;
    let mut map = HeaderMap::new();
    for _ in 0..n {
        let name = r.bytes()?;
        let value = r.bytes()?;
        let name = HeaderName::from_bytes(name).map_err(|_| {
            Error::IllegalArgument(format!(
                "'{}' is not a valid HTTP field name",
                String::from_utf8_lossy(name)
            ))
        })?;
        let value = HeaderValue::from_bytes(value).map_err(|_| {
            Error::IllegalArgument(format!(
                "the value of field '{name}' is not a valid HTTP field value"
            ))
        })?;
        map.append(name, value);
    }
    Ok(map)
}

/// [`read_fields`] of a whole array.
pub fn read_field_map(bytes: &[u8]) -> Result<HeaderMap> {
    let mut r = Reader::new(bytes);
    let map = read_fields(&mut r)?;
    if !r.done() {
        return Err(Error::IllegalArgument(
            "trailing bytes after HTTP fields".into(),
        ));
    }
    Ok(map)
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

/// Writes a request head: method, scheme, authority and path with query (each may be empty), then
/// the fields (the outgoing requests Java sends for a guest).
pub fn write_head(
    method: &str,
    scheme: &str,
    authority: &str,
    path: &str,
    fields: &HeaderMap,
) -> Vec<u8> {
    let mut out = Vec::new();
    for s in [method, scheme, authority, path] {
        put_bytes(&mut out, s.as_bytes());
    }
    out.extend_from_slice(&write_fields(fields));
    out
}

/// Writes a header map's entries, in order.
pub fn write_fields(map: &HeaderMap) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(map.len() as u32).to_le_bytes());
    for (name, value) in map {
        put_bytes(&mut out, name.as_str().as_bytes());
        put_bytes(&mut out, value.as_bytes());
    }
    out
}

/// The `wasi:http/types` error codes by WIT name, each with the value Java may send (failures of
/// bodies and outgoing requests), in the order of Java's `HttpErrorCode`.
pub const ERROR_NAMES: &[&str] = &[
    "DNS-timeout",
    "DNS-error",
    "destination-not-found",
    "destination-unavailable",
    "destination-IP-prohibited",
    "destination-IP-unroutable",
    "connection-refused",
    "connection-terminated",
    "connection-timeout",
    "connection-read-timeout",
    "connection-write-timeout",
    "connection-limit-reached",
    "TLS-protocol-error",
    "TLS-certificate-error",
    "TLS-alert-received",
    "HTTP-request-denied",
    "HTTP-request-length-required",
    "HTTP-request-body-size",
    "HTTP-request-method-invalid",
    "HTTP-request-URI-invalid",
    "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size",
    "HTTP-request-header-size",
    "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size",
    "HTTP-response-incomplete",
    "HTTP-response-header-section-size",
    "HTTP-response-header-size",
    "HTTP-response-body-size",
    "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size",
    "HTTP-response-transfer-coding",
    "HTTP-response-content-coding",
    "HTTP-response-timeout",
    "HTTP-upgrade-failed",
    "HTTP-protocol-error",
    "loop-detected",
    "configuration-error",
    "internal-error",
];

/// The error a body or an outgoing request ends with, by its WIT name.
pub fn error_from_name(name: &str) -> Result<wasmtime_wasi_http::Error> {
    use wasmtime_wasi_http::Error as E;
    Ok(match name {
        "DNS-timeout" => E::DnsTimeout,
        "DNS-error" => E::DnsError {
            rcode: None,
            info_code: None,
        },
        "destination-not-found" => E::DestinationNotFound,
        "destination-unavailable" => E::DestinationUnavailable,
        "destination-IP-prohibited" => E::DestinationIpProhibited,
        "destination-IP-unroutable" => E::DestinationIpUnroutable,
        "connection-refused" => E::ConnectionRefused,
        "connection-terminated" => E::ConnectionTerminated,
        "connection-timeout" => E::ConnectionTimeout,
        "connection-read-timeout" => E::ConnectionReadTimeout,
        "connection-write-timeout" => E::ConnectionWriteTimeout,
        "connection-limit-reached" => E::ConnectionLimitReached,
        "TLS-protocol-error" => E::TlsProtocolError,
        "TLS-certificate-error" => E::TlsCertificateError,
        "TLS-alert-received" => E::TlsAlertReceived {
            alert_id: None,
            alert_message: None,
        },
        "HTTP-request-denied" => E::HttpRequestDenied,
        "HTTP-request-length-required" => E::HttpRequestLengthRequired,
        "HTTP-request-body-size" => E::HttpRequestBodySize(None),
        "HTTP-request-method-invalid" => E::HttpRequestMethodInvalid,
        "HTTP-request-URI-invalid" => E::HttpRequestUriInvalid,
        "HTTP-request-URI-too-long" => E::HttpRequestUriTooLong,
        "HTTP-request-header-section-size" => E::HttpRequestHeaderSectionSize(None),
        "HTTP-request-header-size" => E::HttpRequestHeaderSize {
            field_name: None,
            field_size: None,
        },
        "HTTP-request-trailer-section-size" => E::HttpRequestTrailerSectionSize(None),
        "HTTP-request-trailer-size" => E::HttpRequestTrailerSize {
            field_name: None,
            field_size: None,
        },
        "HTTP-response-incomplete" => E::HttpResponseIncomplete,
        "HTTP-response-header-section-size" => E::HttpResponseHeaderSectionSize(None),
        "HTTP-response-header-size" => E::HttpResponseHeaderSize {
            field_name: None,
            field_size: None,
        },
        "HTTP-response-body-size" => E::HttpResponseBodySize(None),
        "HTTP-response-trailer-section-size" => E::HttpResponseTrailerSectionSize(None),
        "HTTP-response-trailer-size" => E::HttpResponseTrailerSize {
            field_name: None,
            field_size: None,
        },
        "HTTP-response-transfer-coding" => E::HttpResponseTransferCoding(None),
        "HTTP-response-content-coding" => E::HttpResponseContentCoding(None),
        "HTTP-response-timeout" => E::HttpResponseTimeout,
        "HTTP-upgrade-failed" => E::HttpUpgradeFailed,
        "HTTP-protocol-error" => E::HttpProtocolError,
        "loop-detected" => E::LoopDetected,
        "configuration-error" => E::ConfigurationError,
        "internal-error" => E::InternalError(None),
        other => {
            return Err(Error::IllegalArgument(format!(
                "'{other}' is not a wasi:http error code"
            )))
        }
    })
}

/// The WIT name of an error code a guest gave (for messages), with its payload when it has one
/// worth saying.
pub fn error_name(code: &ErrorCode) -> String {
    // The Rust case names are the WIT names in CamelCase, acronyms included ("HttpRequestUriInvalid"
    // for "HTTP-request-URI-invalid"): the debug form's first word, back to WIT.
    let name = wit_name(&format!("{code:?}"));
    match code {
        ErrorCode::InternalError(Some(m)) => format!("{name} ({m})"),
        ErrorCode::HttpResponseBodySize(Some(n)) | ErrorCode::HttpRequestBodySize(Some(n)) => {
            format!("{name} ({n} bytes)")
        }
        _ => name,
    }
}

/// The WIT name of the case a debug form starts with.
fn wit_name(debug: &str) -> String {
    let case = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    wit_case(case)
}

/// `HttpRequestUriInvalid` -> `HTTP-request-URI-invalid`.
fn wit_case(camel: &str) -> String {
    const ACRONYMS: &[&str] = &["dns", "ip", "tls", "http", "uri"];
    let mut words: Vec<String> = Vec::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(w) = words.last_mut() {
            w.push(c.to_ascii_lowercase());
        }
    }
    words
        .into_iter()
        .map(|w| {
            if ACRONYMS.contains(&w.as_str()) {
                w.to_ascii_uppercase()
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn http_abi_java_holds_exactly_these_numbers() {
        use crate::bridge::java_source::{java, java_constants};
        use crate::http::*;
        let java = java_constants(&java("http/HttpAbi.java"));
        let rust: Vec<(String, i64)> = [
            ("OUTCOME_COMPLETE", OUTCOME_COMPLETE),
            ("OUTCOME_NO_RESPONSE", OUTCOME_NO_RESPONSE),
            ("OUTCOME_ERROR_RESPONSE", OUTCOME_ERROR_RESPONSE),
            ("OUTCOME_BODY_INCOMPLETE", OUTCOME_BODY_INCOMPLETE),
            ("OUTCOME_CLIENT_GONE", OUTCOME_CLIENT_GONE),
        ]
        .iter()
        .map(|&(n, v)| (n.to_owned(), i64::from(v)))
        .collect();
        assert_eq!(java, rust, "HttpAbi.java and http/mod.rs disagree");
    }

    #[test]
    fn http_error_codes_are_the_java_enum_in_order() {
        use crate::bridge::java_source::{java, java_enum};
        let java = java_enum(&java("http/HttpErrorCode.java"), "HttpErrorCode");
        let texts: Vec<String> = java.iter().filter_map(|(_, t)| t.clone()).collect();
        assert_eq!(
            texts,
            crate::http::codec::ERROR_NAMES,
            "HttpErrorCode.java and codec.rs disagree"
        );
        for (name, text) in &java {
            assert_eq!(
                *name,
                text.as_deref()
                    .unwrap_or("")
                    .to_uppercase()
                    .replace('-', "_")
            );
        }
    }

    use super::*;

    #[test]
    fn every_name_maps_to_an_error_that_names_it_back() {
        for name in ERROR_NAMES {
            let e = error_from_name(name).expect(name);
            assert_eq!(wit_name(&format!("{e:?}")), *name);
        }
        assert!(error_from_name("not-a-code").is_err());
    }

    #[test]
    fn fields_keep_order_and_repeats() {
        let mut map = HeaderMap::new();
        map.append("b", HeaderValue::from_static("1"));
        map.append("a", HeaderValue::from_static("2"));
        map.append("b", HeaderValue::from_static("3"));
        let back = read_field_map(&write_fields(&map)).unwrap();
        let entries: Vec<_> = back
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            entries,
            [("b", "1"), ("b", "3"), ("a", "2")].map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }
}
