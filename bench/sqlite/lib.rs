//! Empty: this package only names the libsqlite3-sys crate for bench/build-sqlite.sh (see Cargo.toml).
