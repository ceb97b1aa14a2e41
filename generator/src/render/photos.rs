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

use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, RgbImage};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::BuildError;
use super::site_files::Write;
use crate::content::Directory;
use crate::files::write_atomically;

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
const RECIPE: &[u8] = b"interchange photos 1: square upper third, 64 128 240, webp 75, jpeg 128 80";

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

    /// The names of the files made of it, in the order [`Photo::make`]
    /// gives their bytes.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .widths()
            .into_iter()
            .map(|w| format!("{}-{w}.webp", self.digest))
            .collect();
        files.push(format!("{}-{}.jpg", self.digest, self.fallback_width()));
        files
    }

    fn view(&self) -> PhotoView {
        let url = |name: String| format!("/{FOLDER}/{name}");
        let srcset = self
            .widths()
            .into_iter()
            .map(|w| format!("{} {w}w", url(format!("{}-{w}.webp", self.digest))))
            .collect::<Vec<_>>()
            .join(", ");
        PhotoView {
            src: url(format!("{}-{}.jpg", self.digest, self.fallback_width())),
            srcset: Some(srcset),
        }
    }

    /// The bytes of every file made of the picture `bytes`, in the order of
    /// [`Photo::files`].
    ///
    /// Only `DynamicImage`'s own methods touch pixels: they are compiled
    /// (and, in development builds, optimised) with the `image` crate,
    /// where generic functions would be compiled with this one.
    fn make(&self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
        let square = square(decode(bytes)?);
        // A large picture is first brought down to twice the largest width
        // by averaging (fast, and right for a large reduction), then each
        // width is made from that with a sharper filter.
        let largest = WIDTHS[WIDTHS.len() - 1] * 2;
        let base = if square.width() > largest {
            square.thumbnail_exact(largest, largest)
        } else {
            square
        };
        let resized = |w: u32| {
            if w == base.width() {
                base.clone()
            } else {
                base.resize_exact(w, w, FilterType::Lanczos3)
            }
        };
        let mut made = Vec::new();
        for w in self.widths() {
            let picture = resized(w).into_rgb8();
            let webp = webp::Encoder::from_rgb(picture.as_raw(), w, w)
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            made.push(webp.to_vec());
        }
        let mut jpeg = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
        resized(self.fallback_width())
            .write_with_encoder(encoder)
            .map_err(|e| e.to_string())?;
        made.push(jpeg);
        Ok(made)
    }
}

/// The picture in `bytes`, turned as its EXIF orientation says (a phone
/// stores a portrait on its side, with a note to turn it), as RGB on white.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
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
        DynamicImage::ImageRgb8(on_white(&picture))
    } else {
        DynamicImage::ImageRgb8(picture.into_rgb8())
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

/// The largest square of a picture: across the middle of a wide one, and a
/// quarter of the way down a tall one, where a portrait's face is (the
/// middle would cut off the top of the head).
fn square(picture: DynamicImage) -> DynamicImage {
    let (w, h) = (picture.width(), picture.height());
    if w == h {
        return picture;
    }
    let side = w.min(h);
    let x = (w - side) / 2;
    let y = (h - side) / 4;
    picture.crop_imm(x, y, side, side)
}

/// What a build knows of a photo file from before: its size and time when
/// read, and the photo made of it.
#[derive(Debug, Default)]
pub struct KnownPhotos(HashMap<PathBuf, (u64, Option<SystemTime>, Photo)>);

/// The photos of a build's profiles, by their path under `static/`.
#[derive(Debug, Default)]
pub struct Photos {
    by_path: BTreeMap<String, Photo>,
}

impl Photos {
    /// The photos the profiles of `directory` show, read from the site at
    /// `root`: each file's digest and size, from `known` where the file's
    /// size and time are those known. Mirrored profiles' photos (addresses
    /// elsewhere) are shown as they are.
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
        let read: Vec<(PathBuf, u64, Option<SystemTime>, Photo)> = paths
            .into_par_iter()
            .map(|relative| {
                let path = root.join("static").join(relative);
                let io = |source| BuildError::Io {
                    path: path.clone(),
                    source,
                };
                let meta = std::fs::metadata(&path).map_err(io)?;
                let modified = meta.modified().ok();
                if let Some((len, time, photo)) = known.0.get(&path)
                    && *len == meta.len()
                    && *time == modified
                    && modified.is_some()
                {
                    return Ok((path, *len, *time, photo.clone()));
                }
                let bytes = std::fs::read(&path).map_err(io)?;
                let size =
                    crate::pictures::inspect_bytes(&bytes).map_err(|e| BuildError::Photo {
                        path: Path::new("static").join(relative),
                        message: e.to_string(),
                    })?;
                let photo = Photo {
                    digest: digest(&bytes),
                    side: size.width.min(size.height),
                };
                Ok((path, meta.len(), modified, photo))
            })
            .collect::<Result<_, BuildError>>()?;
        known.0.clear();
        let mut by_path = BTreeMap::new();
        for (path, len, modified, photo) in read {
            let relative = path
                .strip_prefix(root.join("static"))
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            by_path.insert(relative, photo.clone());
            known.0.insert(path, (len, modified, photo));
        }
        Ok(Self { by_path })
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
    /// it holds them, made (and kept there) where it does not; removes
    /// from the cache what no photo of this build needs. The paths written.
    pub(super) fn write(
        &self,
        root: &Path,
        cache: &Path,
        write: &Write<'_>,
    ) -> Result<Vec<PathBuf>, BuildError> {
        // One photo may be several profiles' (or under two names): made once.
        let mut photos: BTreeMap<&str, (&str, &Photo)> = BTreeMap::new();
        for (path, photo) in &self.by_path {
            photos.entry(&photo.digest).or_insert((path, photo));
        }
        let written: Vec<Vec<PathBuf>> = photos
            .into_par_iter()
            .map(|(_, (path, photo))| {
                let names = photo.files();
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
                            let _ = std::fs::create_dir_all(cache)
                                .and_then(|()| write_atomically(&cache.join(name), bytes));
                        }
                        made
                    }
                };
                names
                    .iter()
                    .zip(&made)
                    .map(|(name, bytes)| {
                        let path = Path::new(FOLDER).join(name);
                        write(&path, bytes)?;
                        Ok(path)
                    })
                    .collect::<Result<Vec<_>, BuildError>>()
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
    let used: HashSet<&std::ffi::OsStr> = used.iter().filter_map(|p| p.file_name()).collect();
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if !used.contains(entry.file_name().as_os_str()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The digest a made file's name starts with: of the recipe and the
/// source picture, 64 bits of SHA-256 in hexadecimal (stable from one
/// machine and version to the next, unlike the build's fingerprints).
fn digest(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(RECIPE);
    hasher.update(bytes);
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
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
    fn a_tall_picture_keeps_its_upper_part() {
        // Rows are numbered by their red: the square starts a quarter of
        // the spare height down.
        let tall = RgbImage::from_fn(10, 30, |_, y| image::Rgb([y as u8, 0, 0]));
        let cut = square(DynamicImage::ImageRgb8(tall)).into_rgb8();
        assert_eq!(cut.dimensions(), (10, 10));
        assert_eq!(cut.get_pixel(0, 0).0[0], 5);
    }
}
