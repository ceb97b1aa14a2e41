//! Profiles' photos as pages show them: cut square, resized to a few
//! widths, and written as WebP, with one JPEG for browsers that cannot
//! show WebP. Re-encoding also leaves behind everything a camera wrote
//! into the file (where it was taken, the phone), which pictures made this
//! way never carry.
//!
//! Each made file is named by the digest of its source picture and how it
//! is made (`/processed_images/3f2a…-128.webp`): an unchanged photo keeps
//! its addresses from one build to the next, so browsers and caches keep
//! it, and a build never makes it again. What a build made is kept in a
//! cache beside the output (`.public.cache/photos/`), which the next build,
//! in this process or another, reads instead of decoding the photo.
//!
//! WebP rather than AVIF: encoding AVIF costs tens of times more per photo,
//! which at ten thousand profiles is minutes, for files a few kilobytes
//! smaller at these sizes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use image::{DynamicImage, ImageReader, RgbImage};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::BuildError;
use super::site_files::Write;
use crate::content::Directory;
use crate::files::write_atomically;

/// The cache of the site written at `output`: beside it.
pub(super) fn cache(output: &Path) -> PathBuf {
    super::output::cache(output).join("photos")
}

/// The folder of the site the made photos are served from.
pub(super) const FOLDER: &str = "processed_images";

/// The widths made, in pixels. Cards show photos 56 CSS pixels wide and
/// profile pages 120: these serve both at 1× and 2×, and profile pages
/// at 3× nearly so, without making files no screen asks for.
const WIDTHS: [u32; 3] = [64, 128, 240];

/// The width of the one JPEG, for browsers without WebP: at this size it
/// serves cards and profile pages alike.
const FALLBACK_WIDTH: u32 = 128;

/// Quality (0–100) of the WebP files: at these sizes, 75 shows no
/// artefacts a reader would see, at half the bytes of 90.
const WEBP_QUALITY: f32 = 75.0;
/// Quality of the JPEG files.
const JPEG_QUALITY: u8 = 80;

/// How photos are made, as part of every made file's name: changed when the
/// widths, qualities or cut change, so that files made the old way are
/// neither served from the cache nor kept by browsers.
const RECIPE: &[u8] =
    b"interchange photos 1: square a quarter down, lanczos3, 64 128 240, webp 75, jpeg 128 80";

/// The most memory decoding one photo may take. A 12,000-pixel square
/// picture (the largest `check` takes) needs about 430 MB as RGB.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// One photo, as made into files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// The digest of the source picture and the recipe, in hexadecimal:
    /// the start of each made file's name.
    digest: String,
    /// The square's side in the source picture: the shorter of its sides.
    side: u32,
}

/// A photo as templates show it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PhotoView {
    /// The picture for browsers that take no `srcset`, or the only one.
    pub src: String,
    /// The WebP files, each with its width (`… 64w, … 128w`), if made.
    pub srcset: Option<String>,
}

impl Photo {
    /// The widths made of this photo: those not larger than the picture,
    /// and the picture's own side where it is smaller than the largest.
    fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|w| *w <= self.side).collect();
        if widths
            .last()
            .is_none_or(|w| *w < WIDTHS[WIDTHS.len() - 1] && *w < self.side)
        {
            widths.push(self.side.min(WIDTHS[WIDTHS.len() - 1]));
        }
        widths
    }

    fn fallback_width(&self) -> u32 {
        FALLBACK_WIDTH.min(self.side)
    }

    /// The name of its WebP file `width` pixels wide.
    fn webp(&self, width: u32) -> String {
        format!("{}-{width}.webp", self.digest)
    }

    /// The name of its one JPEG file.
    fn jpeg(&self) -> String {
        format!("{}-{}.jpg", self.digest, self.fallback_width())
    }

    /// The names of the files made of it, in the order [`Photo::make`]
    /// gives their bytes.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.widths().into_iter().map(|w| self.webp(w)).collect();
        files.push(self.jpeg());
        files
    }

    fn view(&self) -> PhotoView {
        let url = |name: String| format!("/{FOLDER}/{name}");
        let srcset = self
            .widths()
            .into_iter()
            .map(|w| format!("{} {w}w", url(self.webp(w))))
            .collect::<Vec<_>>()
            .join(", ");
        PhotoView {
            src: url(self.jpeg()),
            srcset: Some(srcset),
        }
    }

    /// The bytes of every file made of the picture `bytes`, in the order of
    /// [`Photo::files`]: each width cut from the square and resized in one
    /// step, with a Lanczos filter (SIMD, by `fast_image_resize`: resizing
    /// took three quarters of the time with `image`'s own).
    fn make(&self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
        use fast_image_resize::images::Image;
        use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
        let picture = decode(bytes)?;
        let (width, height) = picture.dimensions();
        let (x, y, side) = square(width, height);
        let source = Image::from_vec_u8(width, height, picture.into_raw(), PixelType::U8x3)
            .map_err(|e| e.to_string())?;
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .crop(f64::from(x), f64::from(y), f64::from(side), f64::from(side));
        let mut resizer = Resizer::new();
        let mut resized = |w: u32| -> Result<Vec<u8>, String> {
            let mut made = Image::new(w, w, PixelType::U8x3);
            resizer
                .resize(&source, &mut made, &options)
                .map_err(|e| e.to_string())?;
            Ok(made.into_vec())
        };
        let mut made = Vec::new();
        for w in self.widths() {
            let rgb = resized(w)?;
            let webp = webp::Encoder::from_rgb(&rgb, w, w)
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            made.push(webp.to_vec());
        }
        let w = self.fallback_width();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode(&resized(w)?, w, w, image::ExtendedColorType::Rgb8)
            .map_err(|e| e.to_string())?;
        made.push(jpeg);
        Ok(made)
    }
}

/// The picture in `bytes`, turned as its EXIF orientation says (a phone
/// stores a portrait on its side, with a note to turn it), as RGB on white.
fn decode(bytes: &[u8]) -> Result<RgbImage, String> {
    use image::ImageDecoder;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(crate::pictures::MAX_SIDE);
    limits.max_image_height = Some(crate::pictures::MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    picture.apply_orientation(orientation);
    Ok(if picture.color().has_alpha() {
        on_white(&picture)
    } else {
        picture.into_rgb8()
    })
}

/// A picture with transparency laid on white: dropping the alpha channel
/// would show whatever colour its transparent pixels happen to hold.
fn on_white(picture: &DynamicImage) -> RgbImage {
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            // At most 255: c and a are at most 255.
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// The largest square of a picture `width` by `height`, as its left, top
/// and side: across the middle of a wide picture, and a quarter of the way
/// down a tall one, where a portrait's face is (the middle would cut off
/// the top of the head).
fn square(width: u32, height: u32) -> (u32, u32, u32) {
    let side = width.min(height);
    ((width - side) / 2, (height - side) / 4, side)
}

/// What a build knows of a photo file from before: its size and time when
/// read, and its digest and side. A file whose size and time are unchanged
/// is not read again: ten thousand photos are most of a gigabyte.
#[derive(Debug, Default, Clone, PartialEq, serde::Deserialize, Serialize)]
struct Known {
    len: u64,
    /// Nanoseconds since 1970.
    modified: u128,
    digest: String,
    side: u32,
}

/// What builds know of the photo files, by their path under `static/`:
/// kept in memory between saves and in the cache (`photos.json`) between
/// processes, so that a build reads only new or changed photos.
#[derive(Debug, Default)]
pub struct KnownPhotos {
    by_path: HashMap<String, Known>,
    /// Whether `by_path` is as read from or written to the cache.
    saved: bool,
}

/// The file of the cache that keeps [`KnownPhotos`].
const KNOWN_FILE: &str = "photos.json";

/// How the file that keeps [`KnownPhotos`] is laid out.
#[derive(serde::Deserialize, Serialize)]
struct KnownFile {
    /// Photos known under another recipe have other digests.
    recipe: String,
    photos: HashMap<String, Known>,
}

impl KnownPhotos {
    /// What the cache at `cache` knows, if this process knows nothing yet;
    /// nothing from a cache that cannot be read (it is made again).
    pub(super) fn load(&mut self, cache: &Path) {
        if !self.by_path.is_empty() {
            return;
        }
        let Ok(text) = std::fs::read(cache.join(KNOWN_FILE)) else {
            return;
        };
        if let Ok(file) = serde_json::from_slice::<KnownFile>(&text)
            && file.recipe.as_bytes() == RECIPE
        {
            self.by_path = file.photos;
            self.saved = true;
        }
    }

    /// Keeps what is known in the cache at `cache`, unless it is there.
    pub(super) fn save(&mut self, cache: &Path) {
        if self.saved {
            return;
        }
        let file = KnownFile {
            recipe: String::from_utf8_lossy(RECIPE).into_owned(),
            photos: self.by_path.clone(),
        };
        if let Ok(text) = serde_json::to_vec(&file) {
            // A cache that cannot be written costs the next build time only.
            let _ = write_atomically(&cache.join(KNOWN_FILE), &text);
        }
        self.saved = true;
    }
}

/// The photos of a build's profiles, by their path under `static/`.
#[derive(Debug, Default)]
pub struct Photos {
    by_path: BTreeMap<String, Photo>,
}

/// A file's time, as the cache keeps it.
fn nanoseconds(time: SystemTime) -> u128 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// How recent a file's time must not be for its digest to be kept: a file
/// changed again within the same tick of a coarse clock (a second, on some
/// file systems) would keep its time, so is read again next time.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl Photos {
    /// The photos the profiles of `directory` show, read from the site at
    /// `root`: each file's digest and size, from what builds knew of it
    /// (`known`, which is brought up to date) while its size and time are
    /// unchanged. Mirrored profiles' photos (addresses elsewhere) are shown
    /// as they are.
    pub(super) fn read(
        root: &Path,
        directory: &Directory,
        known: &mut KnownPhotos,
    ) -> Result<Self, BuildError> {
        let paths: HashSet<&str> = directory
            .profiles
            .iter()
            .filter_map(|p| p.data.photo.as_deref())
            .filter(|photo| !crate::content::is_remote_file(photo))
            .collect();
        let now = SystemTime::now();
        let read: Vec<(&str, Known)> = paths
            .into_par_iter()
            .map(|relative| {
                let path = root.join("static").join(relative);
                let io = |source| BuildError::Io {
                    path: path.clone(),
                    source,
                };
                let meta = std::fs::metadata(&path).map_err(io)?;
                let modified = meta.modified().ok();
                let time = modified.map_or(0, nanoseconds);
                if let Some(before) = known.by_path.get(relative)
                    && before.len == meta.len()
                    && before.modified == time
                    && time != 0
                {
                    return Ok((relative, before.clone()));
                }
                let (digest, size) = read_photo(&path).map_err(|e| match e {
                    Unreadable::Io(source) => io(source),
                    Unreadable::Picture(problem) => BuildError::Photo {
                        path: Path::new("static").join(relative),
                        message: problem.to_string(),
                    },
                })?;
                // Too recent to be sure of: known for this build only.
                let settled = modified
                    .and_then(|m| now.duration_since(m).ok())
                    .is_some_and(|age| age > SETTLED);
                Ok((
                    relative,
                    Known {
                        len: meta.len(),
                        modified: if settled { time } else { 0 },
                        digest,
                        side: size.width.min(size.height),
                    },
                ))
            })
            .collect::<Result<_, BuildError>>()?;
        let by_path: HashMap<String, Known> = read
            .into_iter()
            .map(|(relative, known)| (relative.to_string(), known))
            .collect();
        if by_path != known.by_path {
            known.by_path = by_path;
            known.saved = false;
        }
        Ok(Self {
            by_path: known
                .by_path
                .iter()
                .map(|(path, k)| {
                    let photo = Photo {
                        digest: k.digest.clone(),
                        side: k.side,
                    };
                    (path.clone(), photo)
                })
                .collect(),
        })
    }

    /// How a profile's `photo` is shown: the made files for a photo under
    /// `static/`, or the picture itself, at its address, for a mirrored
    /// profile's (or one this build did not read).
    pub fn view(&self, photo: &str) -> PhotoView {
        match self.by_path.get(photo) {
            Some(made) => made.view(),
            None => PhotoView {
                src: super::pages::asset_url(photo),
                srcset: None,
            },
        }
    }

    /// The made photo of a profile's `photo`, for fingerprints.
    pub fn get(&self, photo: &str) -> Option<&Photo> {
        self.by_path.get(photo)
    }

    /// What the made files are made from, as one number.
    pub(super) fn inputs(&self) -> u64 {
        crate::fingerprint::of((RECIPE, &self.by_path))
    }

    /// Writes every made file with `write`, from the cache at `cache` where
    /// it holds them, made (and kept there) where it does not, but those
    /// the site being written holds already (`kept`: made files are named
    /// by what they are made from); removes from the cache what no photo
    /// of this build needs. Every made file's path.
    pub(super) fn write(
        &self,
        root: &Path,
        cache: &Path,
        write: &Write<'_>,
        kept: &[PathBuf],
    ) -> Result<Vec<PathBuf>, BuildError> {
        let kept: HashSet<&Path> = kept.iter().map(PathBuf::as_path).collect();
        // One photo may be several profiles' (or under two names): made once.
        let mut photos: BTreeMap<&str, (&str, &Photo)> = BTreeMap::new();
        for (path, photo) in &self.by_path {
            photos.entry(&photo.digest).or_insert((path, photo));
        }
        let written: Vec<Vec<PathBuf>> = photos
            .into_par_iter()
            .map(|(_, (path, photo))| {
                let names = photo.files();
                let paths: Vec<PathBuf> = names.iter().map(|n| Path::new(FOLDER).join(n)).collect();
                if paths.iter().all(|p| kept.contains(p.as_path())) {
                    return Ok(paths);
                }
                let cached: Option<Vec<Vec<u8>>> = names
                    .iter()
                    .map(|name| std::fs::read(cache.join(name)).ok())
                    .collect();
                let made = match cached {
                    Some(made) => made,
                    None => {
                        let source = root.join("static").join(path);
                        let bytes =
                            std::fs::read(&source).map_err(|source_error| BuildError::Io {
                                path: source.clone(),
                                source: source_error,
                            })?;
                        let made = photo.make(&bytes).map_err(|message| BuildError::Photo {
                            path: Path::new("static").join(path),
                            message,
                        })?;
                        for (name, bytes) in names.iter().zip(&made) {
                            // A cache that cannot be written costs the next
                            // build time, not this build its photos.
                            let _ = write_atomically(&cache.join(name), bytes);
                        }
                        made
                    }
                };
                for (path, bytes) in paths.iter().zip(&made) {
                    write(path, bytes)?;
                }
                Ok(paths)
            })
            .collect::<Result<_, BuildError>>()?;
        let written: Vec<PathBuf> = written.into_iter().flatten().collect();
        forget_unused(cache, &written);
        Ok(written)
    }
}

/// Removes from the cache the files no photo of this build was made into
/// (photos replaced or removed), so that it does not grow without end.
fn forget_unused(cache: &Path, used: &[PathBuf]) {
    let mut used: HashSet<&std::ffi::OsStr> = used.iter().filter_map(|p| p.file_name()).collect();
    used.insert(std::ffi::OsStr::new(KNOWN_FILE));
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if !used.contains(entry.file_name().as_os_str()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Why a photo file could not be read.
enum Unreadable {
    Io(std::io::Error),
    Picture(crate::pictures::Unusable),
}

/// The digest of the photo at `path` and its size, read in pieces: the
/// digest, of the recipe and the file, is 64 bits of SHA-256 in hexadecimal
/// (stable from one machine and version to the next, unlike the build's
/// fingerprints), and starts each made file's name.
fn read_photo(path: &Path) -> Result<(String, crate::pictures::Size), Unreadable> {
    use std::io::Read;
    let size = crate::pictures::inspect(path).map_err(Unreadable::Picture)?;
    let mut file = std::fs::File::open(path).map_err(Unreadable::Io)?;
    let mut hasher = Sha256::new();
    hasher.update(RECIPE);
    let mut buffer = [0; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Unreadable::Io(e)),
        }
    }
    let digest = hasher.finalize();
    Ok((
        digest[..8].iter().map(|b| format!("{b:02x}")).collect(),
        size,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(side: u32) -> Photo {
        Photo {
            digest: "d".into(),
            side,
        }
    }

    #[test]
    fn widths_are_never_larger_than_the_picture() {
        assert_eq!(photo(4000).widths(), [64, 128, 240]);
        assert_eq!(photo(240).widths(), [64, 128, 240]);
        assert_eq!(photo(200).widths(), [64, 128, 200]);
        assert_eq!(photo(128).widths(), [64, 128]);
        assert_eq!(photo(40).widths(), [40]);
        assert_eq!(photo(40).fallback_width(), 40);
        assert_eq!(
            photo(200).files(),
            ["d-64.webp", "d-128.webp", "d-200.webp", "d-128.jpg"]
        );
    }

    #[test]
    fn a_tall_picture_keeps_its_upper_part_and_a_wide_one_its_middle() {
        assert_eq!(square(300, 400), (0, 25, 300));
        assert_eq!(square(400, 300), (50, 0, 300));
        assert_eq!(square(240, 240), (0, 0, 240));
    }
}
