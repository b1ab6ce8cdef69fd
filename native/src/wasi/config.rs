//! A store's WASI preview 1 context, built from what a Java `WasiConfig` says (`Store.setWasi`).
//!
//! A store that never set a configuration gets an empty context on its first WASI call
//! ([`empty_ctx`]): no arguments, no environment, no preopened directories, stdin at end of file,
//! output discarded.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use wasmtime::component::ResourceTable;
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder};

use super::stdio::{JavaInput, JavaOutput};
use crate::bridge::error::{Error, Result};

/// Where stdin comes from.
#[derive(Clone)]
pub enum Input {
    Empty,
    Inherit,
    /// Bytes (a pipe: its clones share the read position).
    Bytes(MemoryInputPipe),
    Java(JavaInput),
}

/// Where stdout or stderr goes.
#[derive(Clone)]
pub enum Output {
    Discard,
    Inherit,
    /// Captured in memory (up to the pipe's limit: further writes fail with an I/O error); the
    /// pipe's clones share its contents.
    Capture(MemoryOutputPipe),
    Java(JavaOutput),
}

impl Output {
    /// The pipe that captures this output, if it is captured.
    fn pipe(&self) -> Option<MemoryOutputPipe> {
        match self {
            Output::Capture(p) => Some(p.clone()),
            _ => None,
        }
    }
}

/// A directory the guest may use.
pub struct Preopen {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// Everything a `WasiConfig` says.
pub struct Config {
    /// The whole argument list, program name first.
    pub args: Vec<String>,
    /// Explicit variables; they win over inherited ones of the same name.
    pub env: Vec<(String, String)>,
    pub inherit_env: bool,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
    pub preopens: Vec<Preopen>,
    /// The addresses and ports WASI 0.2 sockets may use; none: no network at all.
    pub network: Vec<NetRule>,
    /// Whether `wasi:sockets/ip-name-lookup` may resolve names.
    pub name_lookup: bool,
    /// Whether TCP, and UDP, sockets may be used on the allowed network.
    pub tcp: bool,
    pub udp: bool,
}

/// One entry of the network allow-list: the addresses of a network (`address/prefix`), on one port
/// or on all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetRule {
    network: IpAddr,
    prefix: u8,
    port: Option<u16>,
}

impl NetRule {
    /// Parses `address` or `address/prefix` (IPv4 or IPv6, no names) with a port (`-1`: any).
    pub fn parse(cidr: &str, port: i32) -> Result<NetRule> {
        let bad =
            |why: &str| Error::IllegalArgument(format!("network allow-list entry '{cidr}': {why}"));
        let (address, prefix) = match cidr.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (cidr, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| bad("not an IPv4 or IPv6 address"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| bad(&format!("the prefix length must be 0 to {bits}")))?,
        };
        let port = match port {
            -1 => None,
            p => Some(u16::try_from(p).map_err(|_| bad(&format!("bad port {p}")))?),
        };
        Ok(NetRule {
            network,
            prefix,
            port,
        })
    }

    /// Whether this entry lets the guest use `addr`. An IPv4-mapped IPv6 address counts as its
    /// IPv4 address.
    pub fn allows(&self, addr: SocketAddr) -> bool {
        if self.port.is_some_and(|p| p != addr.port()) {
            return false;
        }
        let ip = match addr.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_matches(&n.octets(), &a.octets(), self.prefix),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_matches(&n.octets(), &a.octets(), self.prefix),
            _ => false,
        }
    }
}

/// Whether the first `bits` bits of `a` and `b` agree.
fn prefix_matches(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (whole, rest) = (usize::from(bits / 8), bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

/// The in-memory pipes that hold a store's captured output.
#[derive(Default)]
pub struct Captured {
    pub stdout: Option<MemoryOutputPipe>,
    pub stderr: Option<MemoryOutputPipe>,
}

/// A store's WASI contexts: preview 1 for its modules, preview 2 for its components. Both are built
/// from one configuration and share stdin, stdout and stderr (one stream each, read or captured
/// once, whichever side uses it).
pub struct Contexts {
    pub p1: WasiP1Ctx,
    pub p2: P2,
    pub captured: Captured,
}

/// A preview 2 context and the resource table its handles live in (`wasmtime_wasi::WasiView`).
pub struct P2 {
    pub ctx: WasiCtx,
    pub table: ResourceTable,
}

/// The context of a store that never set one: no capabilities at all.
impl Default for P2 {
    fn default() -> P2 {
        P2 {
            ctx: WasiCtxBuilder::new().build(),
            table: ResourceTable::new(),
        }
    }
}

/// The stdio of a configuration, made once and given to both contexts.
struct Stdio {
    stdin: Input,
    stdout: Output,
    stderr: Output,
}

fn output(b: &mut WasiCtxBuilder, out: &Output, stderr: bool) {
    match out {
        Output::Discard => {}
        Output::Inherit => {
            if stderr {
                b.inherit_stderr();
            } else {
                b.inherit_stdout();
            }
        }
        Output::Capture(pipe) => {
            if stderr {
                b.stderr(pipe.clone());
            } else {
                b.stdout(pipe.clone());
            }
        }
        Output::Java(s) => {
            if stderr {
                b.stderr(s.clone());
            } else {
                b.stdout(s.clone());
            }
        }
    }
}

/// A builder with everything `config` says.
fn builder(config: &Config, stdio: &Stdio) -> Result<WasiCtxBuilder> {
    let mut b = WasiCtxBuilder::new();
    // File operations run on the calling thread: wasm is synchronous here, so there is nothing to
    // gain from handing each one to another thread.
    b.allow_blocking_current_thread(true);
    b.args(&config.args);
    // The network: nothing unless allowed. Every address a socket binds, connects or sends to is
    // checked against the allow-list, except the bind to an ephemeral port of the unspecified
    // address that connecting and sending do implicitly (wasmtime-wasi checks that one too).
    let allowed = !config.network.is_empty();
    b.allow_tcp(allowed && config.tcp)
        .allow_udp(allowed && config.udp);
    b.allow_ip_name_lookup(config.name_lookup);
    let rules = config.network.clone();
    b.socket_addr_check(move |addr, usage| {
        let implicit_bind = matches!(usage, SocketAddrUse::TcpBind | SocketAddrUse::UdpBind)
            && addr.ip().is_unspecified()
            && addr.port() == 0;
        let ok = implicit_bind || rules.iter().any(|r| r.allows(addr));
        Box::pin(async move { ok })
    });
    if config.inherit_env {
        // Like `inherit_env`, but skipping variables that are not UTF-8 (where `std::env::vars`
        // would panic) and those set explicitly.
        for (k, v) in std::env::vars_os() {
            if let (Some(k), Some(v)) = (k.to_str(), v.to_str()) {
                if !config.env.iter().any(|(name, _)| name == k) {
                    b.env(k, v);
                }
            }
        }
    }
    b.envs(&config.env);
    match &stdio.stdin {
        Input::Empty => {}
        Input::Inherit => {
            b.inherit_stdin();
        }
        Input::Bytes(pipe) => {
            b.stdin(pipe.clone());
        }
        Input::Java(s) => {
            b.stdin(s.clone());
        }
    }
    output(&mut b, &stdio.stdout, false);
    output(&mut b, &stdio.stderr, true);
    for p in &config.preopens {
        let perms = if p.read_only {
            FsPerms::ReadOnly
        } else {
            FsPerms::ReadWrite
        };
        b.preopened_dir(&p.host, &p.guest, perms).map_err(|e| {
            Error::IllegalArgument(format!(
                "cannot preopen {} as {}: {e:#}",
                p.host.display(),
                p.guest
            ))
        })?;
    }
    Ok(b)
}

/// Builds a store's WASI contexts (and their capture pipes) from a configuration.
pub fn build(config: Config) -> Result<Contexts> {
    let stdio = Stdio {
        stdin: config.stdin.clone(),
        stdout: config.stdout.clone(),
        stderr: config.stderr.clone(),
    };
    let captured = Captured {
        stdout: stdio.stdout.pipe(),
        stderr: stdio.stderr.pipe(),
    };
    let p1 = builder(&config, &stdio)?.build_p1();
    let p2 = P2 {
        ctx: builder(&config, &stdio)?.build(),
        table: ResourceTable::new(),
    };
    Ok(Contexts { p1, p2, captured })
}

/// The context of a store that never set one: no capabilities at all.
pub fn empty_ctx() -> WasiP1Ctx {
    WasiCtxBuilder::new().build_p1()
}

#[cfg(test)]
mod tests {
    use super::NetRule;
    use std::net::SocketAddr;

    fn allows(cidr: &str, port: i32, addr: &str) -> bool {
        let addr: SocketAddr = addr.parse().unwrap();
        NetRule::parse(cidr, port).unwrap().allows(addr)
    }

    #[test]
    fn rules_match_networks_and_ports() {
        assert!(allows("127.0.0.1", 8080, "127.0.0.1:8080"));
        assert!(!allows("127.0.0.1", 8080, "127.0.0.1:8081"));
        assert!(allows("127.0.0.1", -1, "127.0.0.1:1"));
        assert!(allows("10.0.0.0/8", -1, "10.200.3.4:53"));
        assert!(!allows("10.0.0.0/8", -1, "11.0.0.1:53"));
        assert!(allows("192.168.4.0/23", 80, "192.168.5.255:80"));
        assert!(!allows("192.168.4.0/23", 80, "192.168.6.0:80"));
        assert!(allows("0.0.0.0/0", 443, "8.8.8.8:443"));
        assert!(allows("::1", -1, "[::1]:9"));
        assert!(allows("fd00::/8", -1, "[fdab::1]:9"));
        assert!(!allows("fd00::/8", -1, "[fe80::1]:9"));
        // IPv4-mapped IPv6 is its IPv4 address; the families do not otherwise mix.
        assert!(allows("127.0.0.1", -1, "[::ffff:127.0.0.1]:9"));
        assert!(!allows("::/0", -1, "127.0.0.1:9"));
    }

    #[test]
    fn bad_rules_are_argument_errors() {
        for (cidr, port) in [
            ("localhost", -1),
            ("127.0.0.1/33", -1),
            ("::1/129", -1),
            ("1.2.3.4/x", -1),
            ("1.2.3.4", 65536),
            ("1.2.3.4", -2),
        ] {
            let e = NetRule::parse(cidr, port).unwrap_err().to_string();
            assert!(e.contains(cidr), "{e}");
        }
    }
}
