//! Which pictures a site takes as photos: JPEG, PNG or WebP, of a size a
//! build can decode. `check` asks it of every photo, from the file's first
//! bytes only; a build asks it again of the pictures it resizes.

use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::Path;

use image::{ImageFormat, ImageReader};

/// The longest side a photo may have. A phone's camera makes 8,000 pixels
/// at most; a picture larger than this is more likely a scan or a mistake,
/// and decoding it would take gigabytes.
pub const MAX_SIDE: u32 = 12_000;

/// A picture's size in pixels, as stored (before any EXIF rotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Why a file cannot be a photo.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// Not a kind of picture the site takes (HEIC from an iPhone, GIF, SVG,
    /// or not a picture at all).
    #[error("is not a JPEG, PNG or WebP picture{}", .0.as_ref().map(|f| format!(" (it is {f})")).unwrap_or_default())]
    Format(Option<&'static str>),
    /// Larger than [`MAX_SIDE`].
    #[error("is {} × {} pixels, larger than the {} a side a photo may be", .0.width, .0.height, MAX_SIDE)]
    TooLarge(Size),
    /// Its header cannot be read.
    #[error("cannot be read as a picture: {0}")]
    Broken(String),
    /// The file cannot be opened.
    #[error("cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

impl Unusable {
    /// What the editor can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Unusable::Format(_) | Unusable::Broken(_) => {
                "open it in a photo program and save or export it as JPEG"
            }
            Unusable::TooLarge(_) => "make it smaller: 1,000 pixels a side is plenty for a photo",
            Unusable::Io(_) => "check the file can be opened, and its permissions",
        }
    }
}

/// The size of the picture at `path`, if the site takes it, from its first
/// bytes.
pub fn inspect(path: &Path) -> Result<Size, Unusable> {
    let mut file = std::fs::File::open(path)?;
    let mut start = Vec::with_capacity(START);
    (&mut file).take(START as u64).read_to_end(&mut start)?;
    let format = format_of(&start)?;
    file.rewind()?;
    size_of(ImageReader::with_format(BufReader::new(file), format))
}

/// The size of a picture held in memory, if the site takes it.
pub fn inspect_bytes(bytes: &[u8]) -> Result<Size, Unusable> {
    let format = format_of(&bytes[..bytes.len().min(START)])?;
    size_of(ImageReader::with_format(Cursor::new(bytes), format))
}

/// How many bytes tell a picture's format.
const START: usize = 32;

/// The format of a picture starting `start`, if the site takes it. Told by
/// the bytes alone, never the name: a `.jpg` that is really a PNG is still
/// a picture, and a `.jpg` that is really HEIC is not one the site takes.
fn format_of(start: &[u8]) -> Result<ImageFormat, Unusable> {
    match image::guess_format(start) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        Ok(other) => Err(Unusable::Format(Some(format_name(other)))),
        Err(_) if is_heif(start) => Err(Unusable::Format(Some("HEIC, as iPhones save"))),
        Err(_) => Err(Unusable::Format(None)),
    }
}

fn size_of<R: BufRead + Seek>(reader: ImageReader<R>) -> Result<Size, Unusable> {
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| Unusable::Broken(e.to_string()))?;
    let size = Size { width, height };
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Unusable::TooLarge(size));
    }
    if width == 0 || height == 0 {
        return Err(Unusable::Broken("it has no pixels".into()));
    }
    Ok(size)
}

/// Whether a file starts as HEIF pictures (HEIC among them) do: an ISO
/// media file whose brand is one of HEIF's.
fn is_heif(start: &[u8]) -> bool {
    start.get(4..8) == Some(b"ftyp")
        && start.get(8..12).is_some_and(|brand| {
            [
                &b"heic"[..],
                b"heix",
                b"hevc",
                b"heim",
                b"heis",
                b"mif1",
                b"msf1",
            ]
            .contains(&brand)
        })
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Gif => "a GIF",
        ImageFormat::Tiff => "a TIFF",
        ImageFormat::Bmp => "a BMP",
        ImageFormat::Avif => "an AVIF",
        ImageFormat::Ico => "an icon",
        _ => "another kind",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::new(width, height)
            .write_to(&mut std::io::Cursor::new(&mut bytes), format)
            .expect("encodes");
        bytes
    }

    #[test]
    fn a_picture_is_known_by_its_bytes() {
        assert_eq!(
            inspect_bytes(&encoded(30, 20, ImageFormat::Png)).expect("a PNG"),
            Size {
                width: 30,
                height: 20
            }
        );
        assert!(matches!(
            inspect_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            Err(Unusable::Format(Some("a GIF")))
        ));
        assert!(matches!(
            inspect_bytes(b"not a picture at all"),
            Err(Unusable::Format(None))
        ));
        assert!(matches!(
            inspect_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            Err(Unusable::Format(Some("HEIC, as iPhones save")))
        ));
    }

    #[test]
    fn a_huge_picture_is_refused_from_its_header() {
        // A JPEG whose frame header claims 20,000 × 20,000 pixels: never
        // decoded.
        let mut bytes = encoded(8, 8, ImageFormat::Jpeg);
        let frame = bytes
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a baseline frame header");
        for at in [frame + 5, frame + 7] {
            bytes[at..at + 2].copy_from_slice(&20_000u16.to_be_bytes());
        }
        assert!(matches!(
            inspect_bytes(&bytes),
            Err(Unusable::TooLarge(Size {
                width: 20_000,
                height: 20_000
            }))
        ));
    }
}
