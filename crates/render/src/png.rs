//! SVG → PNG with resvg, using only the embedded font: the same pixels on any machine.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::RenderError;
use super::text::{REGULAR, SEMIBOLD};

/// Larger pictures are refused rather than allocated (a 3,000-component design at
/// scale 2 would need gigabytes).
const MAX_PIXELS: f64 = 200_000_000.0;

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(SEMIBOLD.to_vec());
            // Every generic family resolves to the embedded face.
            db.set_sans_serif_family("Inter");
            db.set_serif_family("Inter");
            db.set_monospace_family("Inter");
            Arc::new(db)
        })
        .clone()
}

/// The pixels of a picture of `width` × `height` user units at `scale`, when it may
/// be drawn.
pub fn pixels(width: f64, height: f64, scale: f32) -> Result<(f64, f64), RenderError> {
    let (width, height) = (
        (width * f64::from(scale)).ceil(),
        (height * f64::from(scale)).ceil(),
    );
    if width * height > MAX_PIXELS {
        return Err(RenderError::Png(format!(
            "{width} × {height} pixels is too large; lower --scale or render SVG"
        )));
    }
    Ok((width, height))
}

pub fn rasterize(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let options = usvg::Options {
        font_family: "Inter".to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::Png(e.to_string()))?;
    let size = tree.size();
    let (width, height) = pixels(f64::from(size.width()), f64::from(size.height()), scale)?;
    let mut pixmap = tiny_skia::Pixmap::new(width as u32, height as u32)
        .ok_or_else(|| RenderError::Png(format!("cannot allocate {width} × {height} pixels")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode(pixmap).map_err(|e| RenderError::Png(e.to_string()))
}

/// PNG with the encoder's fast deflate (`fdeflate`): deflating took most of the time of
/// a PNG render at the default level, for files about as small (a diagram is large
/// flat areas).
fn encode(pixmap: tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let pixels = pixmap.take_demultiplied();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(bytes)
}
