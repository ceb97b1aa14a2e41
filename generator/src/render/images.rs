//! Pictures under `static/` as the site publishes them: without the
//! metadata cameras and editors write into them. A phone's photo carries
//! where it was taken (EXIF GPS), the phone, and often a name; none of it
//! is shown, and all of it would be downloaded by anyone. The picture
//! itself is kept byte for byte, as are the colour profile and what
//! decoding needs.

use std::path::Path;

use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// JPEG segments kept: JFIF (APP0), the colour profile (APP2) and Adobe's
/// colour transform (APP14), which decoding some files needs. Every other
/// application segment (EXIF and XMP in APP1, IPTC in APP13, makers' own)
/// and comments go.
const JPEG_KEPT_APPS: [u8; 3] = [markers::APP0, markers::APP2, markers::APP14];

/// PNG chunks that carry text, EXIF or a time rather than the picture.
const PNG_METADATA: [[u8; 4]; 5] = [*b"tEXt", *b"zTXt", *b"iTXt", *b"eXIf", *b"tIME"];

/// The file at `path` (under `static/`) as published: a JPEG, PNG or WebP
/// without its metadata; anything else, or a picture that cannot be read
/// as its kind, as it is.
pub fn without_metadata(path: &Path, bytes: Vec<u8>) -> Vec<u8> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let stripped = match extension.as_deref() {
        Some("jpg" | "jpeg") => jpeg(&bytes),
        Some("png") => png(&bytes),
        Some("webp") => webp(&bytes),
        _ => None,
    };
    stripped.unwrap_or(bytes)
}

fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    let metadata = |marker: u8| {
        ((markers::APP0..=markers::APP15).contains(&marker) && !JPEG_KEPT_APPS.contains(&marker))
            || marker == markers::COM
    };
    jpeg.segments_mut().retain(|s| !metadata(s.marker()));
    Some(jpeg.encoder().bytes().to_vec())
}

fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    png.chunks_mut()
        .retain(|c| !PNG_METADATA.contains(&c.kind()));
    Some(png.encoder().bytes().to_vec())
}

fn webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    webp.set_exif(None);
    webp.remove_chunks_by_id(*b"XMP ");
    Some(webp.encoder().bytes().to_vec())
}
