//! The anatomy of a component box, in user units; the SVG emitter draws with the same
//! figures the sizes are computed from.

pub const LABEL_SIZE: f64 = 14.0;
pub const DETAIL_SIZE: f64 = 11.5;
pub const BADGE_SIZE: f64 = 10.5;
pub const PADDING: f64 = 12.0;
pub const ICON: f64 = 22.0;
pub const ICON_GAP: f64 = 10.0;
pub const LINE: f64 = 18.0;
pub const BADGE_HEIGHT: f64 = 16.0;
pub const BADGE_PADDING: f64 = 5.0;
pub const BADGE_GAP: f64 = 4.0;
pub const MIN_WIDTH: f64 = 132.0;
/// How far each shadow of a replicated component is offset.
pub const STACK_OFFSET: f64 = 4.0;
/// Extra room on top of a cylinder (database) for its lid.
pub const LID: f64 = 8.0;
pub const EDGE_LABEL_SIZE: f64 = 11.0;
pub const EDGE_LABEL_PADDING: f64 = 4.0;
pub const GROUP_LABEL_SIZE: f64 = 12.0;
pub const TITLE_SIZE: f64 = 20.0;
pub const DESCRIPTION_SIZE: f64 = 12.0;
pub const MARGIN: f64 = 16.0;
pub const LEGEND_HEIGHT: f64 = 44.0;
/// One line of a flow's or scenario's caption.
pub const CAPTION_LINE: f64 = 18.0;
/// One line of the findings list, and its heading.
pub const LIST_LINE: f64 = 17.0;
pub const LIST_HEADING: f64 = 26.0;
/// Where an item's text starts, after its numbered circle.
pub const LIST_INDENT: f64 = 26.0;
/// The list wraps at the picture's width, or this for a narrow picture; a column
/// of a long list is this wide.
pub const LIST_MIN_WIDTH: f64 = 560.0;
/// A list taller than this and a quarter of the drawing goes into columns.
pub const LIST_MIN_HEIGHT: f64 = 400.0;
/// The radius of a flow step's number.
pub const STEP_RADIUS: f64 = 9.0;
