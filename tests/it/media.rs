//! Media files: images, drawings, videos and downloads under `content/`, checked with
//! positions, published responsive and without metadata, cached, deterministic.

use std::path::Path;

use crate::robustness::{build, check, fails_cleanly, site_with};
use crate::support::{snapshot_tree, stderr};

const ARTICLE_HEAD: &str = "---\ntitle: The scanner shows a red light\ndate: 2024-01-01\nplatforms: [windows]\nfixes: [restart-scanner]\nstatus_messages: [offline]\n---\n";

fn article(body: &str) -> Vec<u8> {
    format!("{ARTICLE_HEAD}{body}").into_bytes()
}

/// A PNG of `width` × `height` with a gradient, so that its variants are not trivial.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    out.into_inner()
}

/// Marks a photo must never leak: the camera serial, the comment, the XMP packet, the GPS
/// coordinates (as the EXIF rationals store them).
const SERIAL: &str = "SN-4242-TESTCAM";
const COMMENT: &str = "Taken at Ana's flat, 12 Rue Secrete";
const XMP_MARK: &str = "xmp-private-mark-7731";

/// A JPEG carrying what phones and cameras write: EXIF with a serial number and a GPS
/// position, an XMP packet with a location, and a comment.
fn camera_jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 2) as u8, 90])
    });
    let mut plain = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .unwrap_or_else(|e| panic!("{e}"));
    let plain = plain.into_inner();
    let segment = |marker: u8, payload: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap_or(0).to_be_bytes());
        s.extend_from_slice(payload);
        s
    };
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff_with_gps_and_serial());
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:Description exif:GPSLatitude=\"48,51.5N\" note=\"{XMP_MARK}\"/></x:xmpmeta>"
    );
    let mut out = plain[..2].to_vec(); // SOI
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, xmp.as_bytes()));
    out.extend(segment(0xFE, COMMENT.as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

/// A little-endian TIFF block: IFD0 with a camera serial (BodySerialNumber) and a pointer
/// to a GPS IFD holding a latitude and longitude.
fn tiff_with_gps_and_serial() -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value.to_le_bytes());
        e
    };
    // IFD0 at 8: 2 entries (2 + 24 + 4 = 30 bytes) → data from 38.
    let serial = format!("{SERIAL}\0");
    let serial_at = 38u32;
    let gps_at = serial_at + serial.len() as u32;
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend(entry(0x8825, 4, 1, gps_at)); // GPSInfo
    t.extend(entry(0xA431, 2, serial.len() as u32, serial_at)); // BodySerialNumber
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(serial.as_bytes());
    // GPS IFD: 4 entries (2 + 48 + 4 = 54 bytes), then two rationals triples.
    let latitude_at = gps_at + 54;
    let longitude_at = latitude_at + 24;
    t.extend_from_slice(&4u16.to_le_bytes());
    t.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    t.extend(entry(0x0002, 5, 3, latitude_at));
    t.extend(entry(0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0")));
    t.extend(entry(0x0004, 5, 3, longitude_at));
    t.extend_from_slice(&0u32.to_le_bytes());
    for (num, den) in [
        (48u32, 1u32),
        (51, 1),
        (3090, 100),
        (2, 1),
        (21, 1),
        (744, 100),
    ] {
        t.extend_from_slice(&num.to_le_bytes());
        t.extend_from_slice(&den.to_le_bytes());
    }
    t
}

/// The CRC-32 PNG chunks end with.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn output_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot_tree(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_screenshot_is_published_as_a_responsive_picture_with_its_size() {
    let body = "1. Open the tray.\n\n   ![The tray, open, with the release lever circled](../media/tray.png)\n\n![A second view of the lever](../media/tray.png)\n";
    let shot = png(1200, 800);
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &shot),
    ]);
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let html = std::fs::read_to_string(out.join("articles/red-light/index.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    let pictures: Vec<&str> = html
        .match_indices("<a class=\"media-link\"")
        .map(|(at, _)| {
            let end = html[at..]
                .find("</picture></a>")
                .map_or(html.len(), |e| at + e + 14);
            &html[at..end]
        })
        .collect();
    assert_eq!(pictures.len(), 2, "{html}");
    insta::assert_snapshot!("media_picture", pictures.join("\n"));
    let media: Vec<String> = std::fs::read_dir(out.join("media"))
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let mut widths: Vec<String> = media
        .iter()
        .map(|n| n.split('.').skip(2).collect::<Vec<_>>().join("."))
        .collect();
    widths.sort();
    // 1600 is wider than the image: never upscaled; its own 1200 is the full size.
    assert_eq!(widths, ["1200.webp", "480.webp", "960.jpg", "960.webp"]);
    for name in &media {
        let bytes = std::fs::read(out.join("media").join(name)).unwrap_or_else(|e| panic!("{e}"));
        let decoded = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let width: u32 = name
            .split('.')
            .nth(2)
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        assert_eq!(
            (decoded.width(), decoded.height()),
            (width, width * 2 / 3),
            "{name}"
        );
    }
}

#[test]
fn no_metadata_reaches_any_output_byte_and_the_gps_position_is_a_warning() {
    let body = "![The scanner's status light, red](../media/light.jpg)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/light.jpg", &camera_jpeg()),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: this file carries a GPS position (where it was taken)\n  --> content/media/light.jpg\n"),
        "{err}"
    );
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let files = output_files(&out);
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".webp")),
        "no image published"
    );
    let latitude: Vec<u8> = [48u32, 1, 51, 1]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect();
    for (path, bytes) in &files {
        for mark in [
            SERIAL.as_bytes(),
            COMMENT.as_bytes(),
            XMP_MARK.as_bytes(),
            b"Exif\0\0",
            b"xmpmeta",
            b"GPSLatitude",
            &latitude,
        ] {
            assert!(
                !contains(bytes, mark),
                "{path} carries {:?}",
                String::from_utf8_lossy(mark)
            );
        }
    }
}

#[test]
fn references_are_checked_with_positions_and_the_nearest_file() {
    let body = "![The tray](../media/tary.png)\n\n![](../media/tray.png)\n\n![Outside](../../fixbook.toml.png)\n\nSee [the manual](../media/manul.pdf).\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &png(64, 48)),
        ("content/media/manual.pdf", b"%PDF-1.4\n"),
        ("content/media/unused.png", &png(8, 8)),
    ]);
    fails_cleanly(
        site.path(),
        "error: image `../media/tary.png` does not match any media file\n  --> content/articles/red-light.md:8:1\n  = help: did you mean `../media/tray.png`?\n\n\
         warning: image without alt text\n  --> content/articles/red-light.md:10:1\n  = help: say what it shows, e.g. `![Settings, Photos: the Shared Albums switch, turned on](…)`; readers who use a screen reader hear this instead of seeing the picture\n\n\
         error: image `../../fixbook.toml.png` points outside content/\n  --> content/articles/red-light.md:12:1\n  = help: media files live under content/: move the file into content/media/ and refer to it from there, e.g. `../media/NAME.png`\n\n\
         error: link to `../media/manul.pdf` does not match any media file\n  --> content/articles/red-light.md:14:5\n  = help: did you mean `../media/manual.pdf`?\n\n\
         warning: media file not used by any page, so not published\n  --> content/media/manual.pdf\n  = help: show it with `![what it shows](path/to/it)` or link to it from an article, fix or status message, or delete it\n\n\
         warning: media file not used by any page, so not published\n  --> content/media/unused.png\n  = help: show it with `![what it shows](path/to/it)` or link to it from an article, fix or status message, or delete it\n\n\
         failed: 3 error(s), 3 warning(s)\n",
    );
}

#[test]
fn corrupt_unsupported_and_oversized_files_are_errors_naming_them() {
    let mut truncated = png(300, 200);
    truncated.truncate(truncated.len() / 2);
    // A valid PNG header claiming 60,000 × 60,000 pixels: decoding it would need 10 GB.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let body = "![A](../media/truncated.png)\n![B](../media/bomb.png)\n![C](../media/IMG_0001.HEIC)\n![D](../media/not-really.png)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/truncated.png", &truncated),
        ("content/media/bomb.png", &bomb),
        ("content/media/IMG_0001.HEIC", b"....ftypheic"),
        ("content/media/not-really.png", b"<html>saved page</html>"),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, 1, "{err}");
    let expected = [
        "error: this image is 60000 × 60000 pixels (3600.0 megapixels), over the 50 megapixel budget\n  --> content/media/bomb.png\n",
        "error: unsupported media format: this is an iPhone photo (HEIC)\n  --> content/media/IMG_0001.HEIC\n  = help: convert it: images to PNG (screenshots) or JPEG (photos), videos to MP4 (H.264) or WebM\n",
        "error: this PNG image is corrupt or truncated: its first bytes are not those of any image format fixbook reads\n  --> content/media/not-really.png\n",
        "error: this PNG image is corrupt or truncated: ",
        "  --> content/media/truncated.png\n",
    ];
    for part in expected {
        assert!(err.contains(part), "missing {part:?} in\n{err}");
    }
    assert!(err.ends_with("failed: 4 error(s), 0 warning(s)\n"), "{err}");
    // The byte budget, lowered in fixbook.toml.
    let toml = std::fs::read_to_string(site.path().join("fixbook.toml")).unwrap_or_default();
    std::fs::write(
        site.path().join("fixbook.toml"),
        format!("{toml}\n[images]\nmax_megabytes = 1\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        site.path().join("content/media/truncated.png"),
        vec![0u8; 1_500_000],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, err) = check(site.path());
    assert!(
        err.contains("error: this media file is 1.4 MB, over the 1.0 MB budget\n  --> content/media/truncated.png\n"),
        "{err}"
    );
}

#[test]
fn drawings_are_cleaned_and_videos_and_downloads_published_as_they_are() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\" onload=\"alert(1)\"><script>alert(2)</script><rect width=\"10\" height=\"10\"/></svg>";
    let body = "![The lever](../media/lever.svg)\n\n![Opening the tray](../media/tray.mp4)\n\n[The manual](../media/manual.pdf)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/lever.svg", svg.as_bytes()),
        ("content/media/tray.mp4", b"\0\0\0\x18ftypmp42 video bytes"),
        ("content/media/manual.pdf", b"%PDF-1.4 manual"),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: removed from the SVG: a <script> element\n  --> content/media/lever.svg\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: removed from the SVG: an event handler (`onload`)\n"),
        "{err}"
    );
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let html =
        std::fs::read_to_string(out.join("articles/red-light/index.html")).unwrap_or_default();
    let files = output_files(&out);
    let find = |ext: &str| {
        files
            .iter()
            .find(|(p, _)| p.starts_with("media/") && p.ends_with(ext))
            .unwrap_or_else(|| {
                panic!(
                    "no {ext} in {:?}",
                    files.iter().map(|f| &f.0).collect::<Vec<_>>()
                )
            })
    };
    let (svg_path, svg_bytes) = find(".svg");
    assert!(
        !contains(svg_bytes, b"alert"),
        "{}",
        String::from_utf8_lossy(svg_bytes)
    );
    assert!(html.contains(&format!("<img class=\"media\" src=\"/{svg_path}\" width=\"400\" height=\"200\" alt=\"The lever\">")), "{html}");
    let (video, bytes) = find(".mp4");
    assert_eq!(&bytes[..], b"\0\0\0\x18ftypmp42 video bytes");
    assert!(html.contains(&format!("<video class=\"media\" controls=\"\" preload=\"metadata\"><source src=\"/{video}\" type=\"video/mp4\">")), "{html}");
    assert!(!html.contains("autoplay"));
    let (pdf, _) = find(".pdf");
    assert!(
        html.contains(&format!("<a href=\"/{pdf}\">The manual</a>")),
        "{html}"
    );
}

#[test]
fn builds_are_deterministic_and_reuse_the_cache_until_a_setting_changes() {
    let body = "![The tray, open](../media/tray.png)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &png(700, 500)),
    ]);
    let first = site.path().join("first");
    assert!(build(site.path(), &first).status.success());
    let cache = site.path().join(".fixbook/cache/media");
    let entries = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let cached = entries(&cache);
    assert_eq!(cached.len(), 3, "{cached:?}"); // 480 and 700 WebP, 700 JPEG
    // Damage one entry: it is noticed, made again, and the output is the same.
    let damaged = cache.join(&cached[0]);
    std::fs::write(&damaged, b"garbage").unwrap_or_else(|e| panic!("{e}"));
    let second = site.path().join("second");
    let rebuilt = build(site.path(), &second);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(
        stderr(&rebuilt).contains("was damaged; it was made again"),
        "{}",
        stderr(&rebuilt)
    );
    assert!(
        snapshot_tree(&first) == snapshot_tree(&second),
        "a rebuild from the cache differs"
    );
    // Without any cache, the same bytes again.
    std::fs::remove_dir_all(site.path().join(".fixbook")).unwrap_or_else(|e| panic!("{e}"));
    let third = site.path().join("third");
    assert!(build(site.path(), &third).status.success());
    assert!(
        snapshot_tree(&first) == snapshot_tree(&third),
        "a cold build differs"
    );
    // A new quality: new names, new entries, the old ones pruned.
    let toml = std::fs::read_to_string(site.path().join("fixbook.toml")).unwrap_or_default();
    std::fs::write(
        site.path().join("fixbook.toml"),
        format!("{toml}\n[images]\nquality = 60\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let fourth = site.path().join("fourth");
    assert!(build(site.path(), &fourth).status.success());
    let now = entries(&cache);
    assert_eq!(now.len(), 3, "{now:?}");
    assert!(
        now.iter().all(|n| !cached.contains(n)),
        "{now:?} reuses {cached:?}"
    );
    let names = |dir: &Path| {
        snapshot_tree(dir)
            .into_iter()
            .map(|f| f.0)
            .filter(|p| p.starts_with("media/"))
            .collect::<Vec<_>>()
    };
    assert_ne!(names(&first), names(&fourth));
}

#[test]
fn a_thumbnail_may_name_a_media_file_and_is_checked() {
    let head = ARTICLE_HEAD.replace("---\ntitle", "---\nthumbnail: ../media/cover.png\ntitle");
    let site = site_with(&[
        (
            "content/articles/red-light.md",
            format!("{head}Body.\n").as_bytes(),
        ),
        ("content/media/cover.png", &png(1200, 630)),
    ]);
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let html =
        std::fs::read_to_string(out.join("articles/red-light/index.html")).unwrap_or_default();
    let og = html
        .split("property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no og:image in {html}"));
    assert!(
        og.starts_with("https://kb.example.org/media/cover.") && og.ends_with(".960.jpg"),
        "{og}"
    );
    let relative = og.trim_start_matches("https://kb.example.org/");
    assert!(out.join(relative).is_file(), "{relative} is not published");

    let head = ARTICLE_HEAD.replace("---\ntitle", "---\nthumbnail: ../media/covr.png\ntitle");
    std::fs::write(
        site.path().join("content/articles/red-light.md"),
        format!("{head}Body.\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = check(site.path());
    assert_eq!(code, 1);
    assert!(err.starts_with("error: `thumbnail` `../media/covr.png` does not match any media file\n  --> content/articles/red-light.md:2:12\n  = help: did you mean `../media/cover.png`?\n"), "{err}");
}

mod incremental {
    use std::path::{Path, PathBuf};

    use fixbook::config::Config;
    use fixbook::incremental::{Changes, Incremental, Update};
    use fixbook::site::SiteOptions;

    use super::png;
    use crate::support::copy_fixture;

    const OPTIONS: SiteOptions = SiteOptions { live_reload: true };

    fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        path
    }

    fn append(root: &Path, rel: &str, text: &str) -> PathBuf {
        let old = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{e}"));
        write(root, rel, format!("{old}{text}").as_bytes())
    }

    fn rebuild(site: &mut Incremental<'_>, root: &Path, paths: &[PathBuf]) -> Update {
        site.rebuild(&Changes::from_paths(root, paths.iter().cloned()))
            .unwrap_or_else(|f| panic!("the rebuild fails: {:#?}", f.diagnostics()))
    }

    /// The rebuilt site (pages and media; the search files come from a later stage) is
    /// what a full build gives.
    fn assert_matches_full_build(root: &Path, update: &Update) {
        let full = fixbook::compile(root, OPTIONS)
            .unwrap_or_else(|f| panic!("the full build fails: {:#?}", f.diagnostics()));
        let search = ["search-index", "status-index"];
        for file in &full.files {
            if search.iter().any(|s| file.path.contains(s)) {
                continue;
            }
            let rebuilt = update
                .files
                .get(&file.path)
                .unwrap_or_else(|| panic!("the rebuild has no {}", file.path));
            assert!(
                rebuilt[..] == file.bytes[..],
                "{} differs from a full build",
                file.path
            );
        }
        let media = |paths: Vec<&String>| -> Vec<String> {
            paths
                .into_iter()
                .filter(|p| p.starts_with("media/"))
                .cloned()
                .collect()
        };
        assert_eq!(
            media(update.files.keys().collect()),
            media(full.files.iter().map(|f| &f.path).collect())
        );
        assert_eq!(update.warnings, full.warnings);
    }

    #[test]
    fn editing_adding_and_dropping_an_image_rebuilds_only_what_shows_it() {
        let dir = copy_fixture("valid-site");
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let article = "content/articles/printer-offline.md";
        write(&root, "content/media/panel.png", &png(320, 200));
        append(
            &root,
            article,
            "\n![The printer's control panel, offline light on](../media/panel.png)\n",
        );
        let config = Config::load(&root).unwrap_or_else(|d| panic!("{d:#?}"));
        let mut site = Incremental::new(&root, &config, OPTIONS);
        let first = site
            .rebuild(&Changes::everything())
            .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics()));
        assert_matches_full_build(&root, &first);
        let old_media: Vec<String> = first
            .files
            .keys()
            .filter(|p| p.starts_with("media/"))
            .cloned()
            .collect();
        assert_eq!(old_media.len(), 2, "{old_media:?}"); // 320 WebP and JPEG

        // The image changes: its files are replaced, and only the page that shows it changes.
        let edited = write(&root, "content/media/panel.png", &png(330, 200));
        let update = rebuild(&mut site, &root, &[edited]);
        assert_matches_full_build(&root, &update);
        assert!(
            !update.stats.walked,
            "a file changed in place needs no walk"
        );
        let pages: Vec<&String> = update
            .changed
            .iter()
            .filter(|p| !p.starts_with("media/"))
            .collect();
        assert_eq!(
            pages,
            ["articles/printer-offline/index.html"],
            "{:?}",
            update.changed
        );
        assert_eq!(
            update
                .changed
                .iter()
                .filter(|p| p.starts_with("media/"))
                .count(),
            4,
            "{:?}",
            update.changed
        );
        assert!(old_media.iter().all(|p| !update.files.contains_key(p)));

        // A fix shows an image that does not exist yet: an error, until the file is added.
        let fix = append(
            &root,
            "content/fixes/check-cable.md",
            "\n![The cable, plugged in](../media/cable.png)\n",
        );
        let failed = site.rebuild(&Changes::from_paths(&root, [fix]));
        let errors: Vec<String> = failed
            .err()
            .map(|f| {
                f.diagnostics()
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.message.clone())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            errors,
            ["image `../media/cable.png` does not match any media file"]
        );
        let added = write(&root, "content/media/cable.png", &png(200, 200));
        let update = rebuild(&mut site, &root, &[added]);
        assert_matches_full_build(&root, &update);

        // No page shows the panel any more: its files go, with a warning for the file.
        let text = std::fs::read_to_string(root.join(article)).unwrap_or_default();
        let cut = text.find("\n![The printer's").unwrap_or(text.len());
        let edited = write(&root, article, &text.as_bytes()[..cut]);
        let update = rebuild(&mut site, &root, &[edited]);
        assert_matches_full_build(&root, &update);
        assert!(!update.files.keys().any(|p| p.starts_with("media/panel.")));
        assert!(
            update
                .warnings
                .iter()
                .any(|w| w.message.starts_with("media file not used"))
        );

        // The unused file is deleted: the rebuild notices it is gone, and its warning too.
        let gone = root.join("content/media/panel.png");
        std::fs::remove_file(&gone).unwrap_or_else(|e| panic!("{e}"));
        let update = rebuild(&mut site, &root, &[gone]);
        assert_matches_full_build(&root, &update);
        assert!(
            !update
                .warnings
                .iter()
                .any(|w| w.message.starts_with("media file not used"))
        );
    }

    #[test]
    fn editing_a_thumbnail_renders_again_the_article_it_stands_for() {
        let dir = copy_fixture("valid-site");
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let article = "content/articles/printer-offline.md";
        write(&root, "content/media/card.png", &png(1200, 630));
        let text = std::fs::read_to_string(root.join(article)).unwrap_or_default();
        write(
            &root,
            article,
            text.replacen("---\n", "---\nthumbnail: ../media/card.png\n", 1)
                .as_bytes(),
        );
        let config = Config::load(&root).unwrap_or_else(|d| panic!("{d:#?}"));
        let mut site = Incremental::new(&root, &config, OPTIONS);
        let first = site
            .rebuild(&Changes::everything())
            .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics()));
        assert_matches_full_build(&root, &first);

        // The social image gets a new name: the page naming it must follow.
        let edited = write(&root, "content/media/card.png", &png(1200, 640));
        let update = rebuild(&mut site, &root, &[edited]);
        assert_matches_full_build(&root, &update);
        assert!(
            update
                .changed
                .iter()
                .any(|p| p == "articles/printer-offline/index.html"),
            "{:?}",
            update.changed
        );
    }
}

#[test]
fn an_articles_images_load_in_the_browser_at_phone_and_desktop_widths() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"300\" viewBox=\"0 0 600 300\"><rect width=\"600\" height=\"300\" fill=\"#dde\"/><circle cx=\"300\" cy=\"150\" r=\"80\" fill=\"#36c\"/></svg>";
    let body = "![The tray, open](../media/tray.png)\n\n![The lever, drawn](../media/lever.svg)\n\n![A phone screenshot of the scan app](../media/phone.png)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &png(1400, 900)),
        ("content/media/lever.svg", svg.as_bytes()),
        ("content/media/phone.png", &png(585, 1266)),
    ]);
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let (_, server) = crate::browser::serve_dir(&out);
    let browser = crate::browser::Browser::launch();
    for width in [390, 1280] {
        let page = browser.page();
        page.set_width(width, 900);
        page.goto(&format!("{}/articles/red-light/", server.origin()));
        assert_eq!(page.eval("window.innerWidth"), serde_json::json!(width));
        // Lazy images below the fold load once asked to.
        page.eval("[...document.querySelectorAll('.prose img')].forEach(i => i.loading = 'eager')");
        page.wait_for("[...document.querySelectorAll('.prose img')].every(i => i.complete)");
        let images = page.eval(
            "JSON.stringify([...document.querySelectorAll('.prose img')].map(i => [i.naturalWidth, i.currentSrc.split('.').pop(), Math.round(i.getBoundingClientRect().width)]))",
        );
        let images: Vec<(u32, String, u32)> =
            serde_json::from_str(images.as_str().unwrap_or("[]")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(images.len(), 3, "{width}px: {images:?}");
        for (natural, format, shown) in &images {
            assert!(*natural > 0, "{width}px: a broken image in {images:?}");
            assert!(*shown > 0 && *shown <= width, "{width}px: {images:?}");
            assert!(
                ["webp", "svg"].contains(&format.as_str()),
                "{width}px: {images:?}"
            );
        }
        // The phone screenshot is shown at a phone's width, not stretched to the text's.
        assert!(images[2].2 <= 352, "{width}px: {images:?}");
        let recorded = page.take();
        assert!(recorded.console.is_empty(), "{:?}", recorded.console);
        assert!(
            recorded.csp_violations.is_empty(),
            "{:?}",
            recorded.csp_violations
        );
    }
}

#[test]
fn an_unchanged_image_is_not_read_again_and_a_changed_one_always_is() {
    let body = "![The tray, open](../media/tray.png)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &png(300, 200)),
    ]);
    let image = site.path().join("content/media/tray.png");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let age = |path: &Path| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(an_hour_ago))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    age(&image);
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let known = std::fs::read_to_string(site.path().join(".fixbook/cache/media.json"))
        .unwrap_or_else(|e| panic!("no probe cache: {e}"));
    assert!(known.contains("content/media/tray.png"), "{known}");
    let published = |out: &Path| -> Vec<String> {
        snapshot_tree(out)
            .into_iter()
            .map(|f| f.0)
            .filter(|p| p.starts_with("media/"))
            .collect()
    };
    let before = published(&out);
    // New pixels, the same size on disk and the same modification time (as a copy that
    // keeps times would leave): the change time still tells, and the new image is published.
    let mut other = png(300, 200);
    let same_len = other.len();
    other = {
        let img = image::RgbImage::from_pixel(300, 200, image::Rgb([200, 9, 9]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = out.into_inner();
        assert!(bytes.len() <= same_len);
        bytes.resize(same_len, 0); // bytes after the PNG's end are ignored by decoders
        bytes
    };
    std::fs::write(&image, &other).unwrap_or_else(|e| panic!("{e}"));
    age(&image);
    let rebuilt = build(site.path(), &out);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let after = published(&out);
    assert_ne!(before, after, "the changed image was not published again");
}

#[test]
fn a_rebuild_keeps_published_images_without_reading_them_again() {
    let body = "![The tray, open](../media/tray.png)\n";
    let site = site_with(&[
        ("content/articles/red-light.md", &article(body)),
        ("content/media/tray.png", &png(700, 500)),
    ]);
    let out = site.path().join("public");
    for _ in 0..5 {
        let built = build(site.path(), &out);
        assert!(built.status.success(), "{}", stderr(&built));
    }
    let before = snapshot_tree(&out);
    // Damage every cache entry: a rebuild into the same output keeps the files its
    // manifest vouches for (their names say what they hold), and never reads the entries,
    // nor prunes them.
    let cache = site.path().join(".fixbook/cache/media");
    for entry in std::fs::read_dir(&cache)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let mut bytes = std::fs::read(entry.path()).unwrap_or_default();
        bytes[0] ^= 0xFF;
        std::fs::write(entry.path(), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let rebuilt = build(site.path(), &out);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(
        !stderr(&rebuilt).contains("damaged"),
        "{}",
        stderr(&rebuilt)
    );
    assert!(snapshot_tree(&out) == before, "the kept output changed");
    // A new output folder vouches for nothing: the entries are read, found damaged and
    // made again, to the same bytes.
    let fresh = site.path().join("fresh");
    let built = build(site.path(), &fresh);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stderr(&built).contains("was damaged; it was made again"),
        "{}",
        stderr(&built)
    );
    assert!(snapshot_tree(&fresh) == before, "the remade files differ");
}
