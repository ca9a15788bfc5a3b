//! Tests of `http`.

use super::*;

fn site(path: &str) -> bool {
    [
        "index.html",
        "articles/a/index.html",
        "assets/x.css",
        "404.html",
    ]
    .contains(&path)
}

#[test]
fn request_paths_map_to_output_files_under_the_base_path() {
    assert_eq!(resolve(site, "/", "/"), Target::File("index.html".into()));
    assert_eq!(
        resolve(site, "/kb/", "/kb/"),
        Target::File("index.html".into())
    );
    assert_eq!(resolve(site, "/kb/", "/"), Target::Redirect("/kb/".into()));
    assert_eq!(
        resolve(site, "/kb/", "/kb"),
        Target::Redirect("/kb/".into())
    );
    assert_eq!(
        resolve(site, "/", "/articles/a"),
        Target::Redirect("/articles/a/".into())
    );
    assert_eq!(
        resolve(site, "/", "/assets/x%2Ecss"),
        Target::File("assets/x.css".into())
    );
}

#[test]
fn traversal_never_leaves_the_output() {
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/articles/..%2f..%2fCargo.toml",
        "//etc/passwd",
        "/assets/..\\..\\Cargo.toml",
        "/%00",
        "/%ff",
    ] {
        assert_eq!(resolve(site, "/", path), Target::NotFound, "{path}");
    }
}

#[test]
fn only_this_servers_names_are_allowed_hosts() {
    let loopback: SocketAddr = "127.0.0.1:4000".parse().unwrap_or_else(|e| panic!("{e}"));
    for ok in [
        "localhost:4000",
        "127.0.0.1:4000",
        "[::1]:4000",
        "LOCALHOST:4000",
    ] {
        assert!(host_allowed(ok, loopback), "{ok}");
    }
    for bad in [
        "evil.example:4000",
        "localhost:4001",
        "localhost",
        "192.168.1.2:4000",
        "127.0.0.1.evil.example:4000",
    ] {
        assert!(!host_allowed(bad, loopback), "{bad}");
    }
    let any: SocketAddr = "0.0.0.0:4000".parse().unwrap_or_else(|e| panic!("{e}"));
    assert!(host_allowed("192.168.1.2:4000", any));
    assert!(!host_allowed("evil.example:4000", any));
}

#[test]
fn on_port_80_the_bare_host_browsers_send_is_allowed() {
    let port80: SocketAddr = "127.0.0.1:80".parse().unwrap_or_else(|e| panic!("{e}"));
    for ok in [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "127.0.0.1:80",
        "[::1]:80",
    ] {
        assert!(host_allowed(ok, port80), "{ok}");
    }
    for bad in ["evil.example", "127.0.0.1:8080", "::1", "[::1]:81"] {
        assert!(!host_allowed(bad, port80), "{bad}");
    }
}
