//! Profiles' photos as the public sees them: on the profile page and on
//! cards, square, the right way up, at the widths a screen asks for, in
//! WebP with a JPEG beside it, without what the phone wrote into them, and
//! made once: a build after one keeps the made files of unchanged photos.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{build, check_json, page, repository, small_site, write};

const ANN: &str = "---\nname: Ann Lee\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nphoto: photos/ann.jpg\nconsent: 2026-10-01\n---\n";

fn fixture(name: &str) -> Vec<u8> {
    fs::read(repository().join("tests/fixtures/photos").join(name)).expect("the fixture")
}

/// A small site whose one profile has the fixture `photo` as her photo.
fn site_with_photo(photo: &str) -> tempfile::TempDir {
    let site = small_site();
    fs::create_dir_all(site.path().join("static/photos")).expect("a folder");
    fs::write(site.path().join("static/photos/ann.jpg"), fixture(photo)).expect("written");
    write(site.path(), "content/profiles/ann.md", ANN);
    site
}

fn built(root: &Path, output: &Path) {
    let result = build(root, output, &[]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// The value of `attribute` in the first `<tag …>` of `html` with `class`.
fn attribute(html: &str, tag: &str, class: &str, attribute: &str) -> Option<String> {
    let start = html.find(&format!("<{tag} class=\"{class}\""))?;
    let element = &html[start..start + html[start..].find('>')?];
    let value = element.split(&format!(" {attribute}=\"")).nth(1)?;
    Some(value[..value.find('"')?].to_string())
}

/// The `srcset` of the `<source>` just before the `<img class="{class}">`.
fn srcset(html: &str, class: &str) -> String {
    let img = html
        .find(&format!("<img class=\"{class}\""))
        .expect("the photo");
    let source = html[..img].rfind("<source").expect("a source");
    let element = &html[source..img];
    assert!(element.contains("type=\"image/webp\""), "{element}");
    let value = element.split(" srcset=\"").nth(1).expect("a srcset");
    value[..value.find('"').expect("closed")].to_string()
}

/// Each file and width of a `srcset`.
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|candidate| {
            let (url, width) = candidate.split_once(' ').expect("a width");
            let width = width.strip_suffix('w').expect("in pixels");
            (url.to_string(), width.parse().expect("a number"))
        })
        .collect()
}

fn picture(public: &Path, url: &str) -> image::RgbImage {
    let bytes = fs::read(public.join(url.trim_start_matches('/'))).expect("the file is published");
    for said in [&b"Exif"[..], b"GPS", b"PhoneMaker", b"Model X"] {
        assert!(
            !bytes.windows(said.len()).any(|w| w == said),
            "{url} carries {:?}",
            String::from_utf8_lossy(said)
        );
    }
    image::load_from_memory(&bytes)
        .unwrap_or_else(|e| panic!("{url} is not a picture: {e}"))
        .into_rgb8()
}

fn is_red(pixel: image::Rgb<u8>) -> bool {
    let [r, g, b] = pixel.0;
    r > 150 && g < 80 && b < 80
}

fn is_blue(pixel: image::Rgb<u8>) -> bool {
    let [r, g, b] = pixel.0;
    b > 150 && r < 80 && g < 80
}

#[test]
fn a_photo_is_shown_square_the_right_way_up_at_every_width_without_its_metadata() {
    let site = site_with_photo("portrait-on-its-side.jpg");
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    built(site.path(), &public);

    let html = page(&public, "/profiles/ann/");
    assert_eq!(
        attribute(&html, "img", "photo", "alt").as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        attribute(&html, "img", "photo", "width").as_deref(),
        Some("120")
    );
    // At the top of her page, seen at once: not held back.
    assert_eq!(attribute(&html, "img", "photo", "loading"), None);
    let set = candidates(&srcset(&html, "photo"));
    assert_eq!(
        set.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [64, 128, 240]
    );
    for (url, width) in &set {
        assert!(url.ends_with(".webp"), "{url}");
        let made = picture(&public, url);
        assert_eq!(made.dimensions(), (*width, *width), "{url} is square");
        // Stored on its side, shown upright: red above, blue below.
        let middle = width / 2;
        assert!(
            is_red(*made.get_pixel(middle, 2)),
            "{url} is red at the top"
        );
        assert!(
            is_blue(*made.get_pixel(middle, width - 3)),
            "{url} is blue at the bottom"
        );
    }
    let fallback = attribute(&html, "img", "photo", "src").expect("a JPEG");
    assert!(fallback.ends_with("-128.jpg"), "{fallback}");
    let jpeg = picture(&public, &fallback);
    assert_eq!(jpeg.dimensions(), (128, 128));
    assert!(is_red(*jpeg.get_pixel(64, 2)) && is_blue(*jpeg.get_pixel(64, 125)));

    // On her card in the list of profiles, too, loaded as it scrolls into view.
    let list = page(&public, "/profiles/");
    assert_eq!(
        attribute(&list, "img", "result__photo", "alt").as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        attribute(&list, "img", "result__photo", "loading").as_deref(),
        Some("lazy")
    );
    assert_eq!(srcset(&list, "result__photo"), srcset(&html, "photo"));
}

#[test]
fn a_small_photo_is_never_enlarged() {
    // 64 × 48: made 48 wide only.
    let site = site_with_photo("with-gps.jpg");
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    built(site.path(), &public);
    let html = page(&public, "/profiles/ann/");
    let set = candidates(&srcset(&html, "photo"));
    assert_eq!(set.iter().map(|(_, w)| *w).collect::<Vec<_>>(), [48]);
    assert_eq!(picture(&public, &set[0].0).dimensions(), (48, 48));
    let fallback = attribute(&html, "img", "photo", "src").expect("a JPEG");
    assert_eq!(picture(&public, &fallback).dimensions(), (48, 48));
}

/// The made files of a built site.
fn made_files(public: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(public.join("processed_images"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path().strip_prefix(public).expect("under").to_path_buf())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn a_photo_is_made_once_and_again_only_when_it_changes() {
    let site = site_with_photo("portrait-on-its-side.jpg");
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    built(site.path(), &public);
    let first = made_files(&public);
    assert_eq!(first.len(), 4, "{first:?}");
    let smallest = first
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-64.webp"))
        .expect("the smallest")
        .clone();
    let cache = out.path().join(".public.cache/photos");
    let cached = cache.join(smallest.file_name().expect("a name"));
    assert_eq!(
        fs::read(&cached).expect("kept in the cache"),
        fs::read(public.join(&smallest)).expect("published")
    );

    // A new process, with the site gone but the cache kept, takes the
    // made file from the cache rather than making it again.
    for gone in ["public", ".public.1", ".public.2"] {
        let path = out.path().join(gone);
        if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(&path).expect("removed");
        } else {
            let _ = fs::remove_file(&path);
        }
    }
    fs::write(&cached, b"kept from the last build").expect("written");
    built(site.path(), &public);
    assert_eq!(made_files(&public), first, "the same addresses");
    assert_eq!(
        fs::read(public.join(&smallest)).expect("published"),
        b"kept from the last build"
    );

    // A cache that cannot be read is made again, and costs nothing else.
    fs::write(cache.join("photos.json"), b"{ not json").expect("written");
    built(site.path(), &public);
    assert_eq!(made_files(&public), first);
    let known = fs::read_to_string(cache.join("photos.json")).expect("made again");
    assert!(known.contains("ann.jpg"), "{known}");

    // Made without a cache, the files are the same bytes as before: the
    // made files depend on the photo alone.
    fs::remove_dir_all(out.path().join(".public.cache")).expect("removed");
    let fresh = out.path().join("fresh");
    built(site.path(), &fresh);
    for file in &first {
        if *file != smallest {
            assert_eq!(
                fs::read(fresh.join(file)).expect("made"),
                fs::read(public.join(file)).expect("made"),
                "{} is made the same way each time",
                file.display()
            );
        }
    }

    // A new photo: new addresses on the page, and the old files gone from
    // the site and from the cache.
    fs::write(
        site.path().join("static/photos/ann.jpg"),
        fixture("with-gps.jpg"),
    )
    .expect("replaced");
    built(site.path(), &public);
    let second = made_files(&public);
    assert!(
        second.iter().all(|file| !first.contains(file)),
        "{second:?} shares a name with {first:?}"
    );
    let html = page(&public, "/profiles/ann/");
    for file in &second {
        let url = format!("/{}", file.display());
        assert!(html.contains(&url), "the page shows {url}");
    }
    let kept: Vec<String> = fs::read_dir(&cache)
        .expect("the cache")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "photos.json")
        .collect();
    assert_eq!(kept.len(), second.len(), "{kept:?}");
}

#[test]
fn check_refuses_a_photo_the_site_cannot_show_and_says_what_to_do() {
    let site = small_site();
    fs::create_dir_all(site.path().join("static/photos")).expect("a folder");
    // What an iPhone saves: HEIC, in an ISO media file.
    let mut heic = Vec::new();
    heic.extend_from_slice(&[0, 0, 0, 24]);
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.resize(200, 0);
    fs::write(site.path().join("static/photos/ann.jpg"), &heic).expect("written");
    write(site.path(), "content/profiles/ann.md", ANN);
    let (passed, problems) = check_json(site.path());
    assert!(!passed, "check fails");
    let problem = problems
        .iter()
        .find(|p| p["code"] == "unusable-photo")
        .unwrap_or_else(|| panic!("an unusable-photo problem in {problems:?}"));
    assert_eq!(problem["file"], "content/profiles/ann.md");
    assert_eq!(problem["line"], 7);
    let message = problem["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("static/photos/ann.jpg is not a JPEG, PNG or WebP picture"),
        "{message}"
    );
    let hint = problem["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("export it as JPEG"), "{hint}");
}
