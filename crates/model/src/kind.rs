//! Component kinds and group kinds (docs/language.md, "Component kinds").

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Client,
    Dns,
    Cdn,
    Lb,
    Gateway,
    Service,
    Worker,
    Cache,
    Database,
    Blob,
    Queue,
    Search,
    Coordinator,
    External,
}

/// What a kind does with the requests it receives (docs/estimates.md's sender table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Calls each dependency a request needs: client, service, worker, external.
    Caller,
    /// Spreads requests over equal alternatives, any one of which serves: lb, dns.
    Balancer,
    /// Forwards requests onward by route or cache miss: gateway, cdn.
    Router,
    /// Holds state (docs/rules.md, "Words used"): database, cache, queue, blob, search,
    /// coordinator.
    Data,
}

/// How a kind's box is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outline {
    /// A rounded box, dashed for a system the design does not run.
    Rounded { radius: f64, dashed: bool },
    /// A cylinder (a lid at the top).
    Cylinder,
    /// A pipe lying on its side (caps at both ends).
    Pipe,
    /// A bucket (slanted sides).
    Bucket,
}

/// Everything hld knows about a kind, in one row: adding a kind is adding a row here
/// (and the kind to the schema's `on` lists). `tests::every_kind_has_its_row` fails
/// for a kind without one.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    pub name: &'static str,
    /// "a" or "an", for messages.
    pub article: &'static str,
    pub role: Role,
    /// Run by someone else (a client, an external system): not the design's to
    /// replicate or to place in zones.
    pub outside: bool,
    /// Outline and glyph colour in the light and the dark theme. Families share a hue:
    /// the edge (dns, cdn, lb, gateway) blue, compute green, data orange, messaging
    /// purple.
    pub accent: (&'static str, &'static str),
    /// Stroked SVG path data on a 24 × 24 grid.
    pub glyph: &'static str,
    pub outline: Outline,
    /// What the kind is, for hover and the language reference.
    pub description: &'static str,
    pub shapes: Shapes,
}

/// How a kind is drawn by hld.
struct Look {
    accent: (&'static str, &'static str),
    glyph: &'static str,
    outline: Outline,
}

/// The closest shape each export target has for a kind (its own notation).
#[derive(Debug)]
pub struct Shapes {
    /// Mermaid's brackets around the label: `[(`…`)]` a cylinder.
    pub mermaid: (&'static str, &'static str),
    pub d2: &'static str,
    /// Graphviz's shape and style.
    pub dot: (&'static str, &'static str),
    /// A draw.io style's shape part.
    pub drawio: &'static str,
    /// Excalidraw's element type: it has rectangles, ellipses and diamonds; the kinds
    /// outside the design (people, the CDN's edge, third parties) are ellipses.
    pub excalidraw: &'static str,
}

const fn row(
    kind: Kind,
    name: &'static str,
    role: Role,
    description: &'static str,
    look: Look,
    shapes: Shapes,
) -> KindInfo {
    let Look {
        accent,
        glyph,
        outline,
    } = look;
    KindInfo {
        kind,
        name,
        article: "a",
        role,
        description,
        shapes,
        outside: false,
        accent,
        glyph,
        outline,
    }
}

const BOX: Outline = Outline::Rounded {
    radius: 6.0,
    dashed: false,
};

/// The kinds, in [`Kind::ALL`] order.
const KINDS: [KindInfo; 14] = [
    KindInfo {
        outside: true,
        // A person.
        ..row(
            Kind::Client,
            "client",
            Role::Caller,
            "who sends requests: users, apps, other systems. Its `dau`, `requests` and `peak` (or `rate`) are where every estimate starts.",
            Look {
                accent: ("#3e4c59", "#cbd2d9"),
                glyph: "M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8zM4 21c0-4.4 3.6-7 8-7s8 2.6 8 7",
                outline: Outline::Rounded {
                    radius: 16.0,
                    dashed: false,
                },
            },
            Shapes {
                mermaid: ("([", "])"),
                d2: "person",
                dot: ("box", "rounded,bold"),
                drawio: "rounded=1;arcSize=40;",
                excalidraw: "ellipse",
            },
        )
    },
    // A globe.
    row(
        Kind::Dns,
        "dns",
        Role::Balancer,
        "name resolution that spreads clients over alternatives (regions, load balancers): any one of its targets serves.",
        Look {
            accent: ("#0b69a3", "#47a3f3"),
            glyph: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3.5 3 3.5 15 0 18M12 3c-3.5 3-3.5 15 0 18",
            outline: BOX,
        },
        Shapes {
            mermaid: ("{{", "}}"),
            d2: "hexagon",
            dot: ("hexagon", "solid"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A cloud.
    row(
        Kind::Cdn,
        "cdn",
        Role::Router,
        "an edge cache in front of an origin: only its misses (`1 - hit_ratio`) reach what is behind it.",
        Look {
            accent: ("#0b69a3", "#47a3f3"),
            glyph: "M7 18h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.1 11.1A3.5 3.5 0 0 0 7 18z",
            outline: BOX,
        },
        Shapes {
            mermaid: ("(", ")"),
            d2: "cloud",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "ellipse",
        },
    ),
    // One stream split in three.
    row(
        Kind::Lb,
        "lb",
        Role::Balancer,
        "a load balancer: spreads requests over equal targets, any one of which serves.",
        Look {
            accent: ("#2680c2", "#5ed0fa"),
            glyph: "M3 12h6M9 12l5-6h6M9 12h11M9 12l5 6h6M17 3l3 3-3 3M17 9l3 3-3 3M17 15l3 3-3 3",
            outline: BOX,
        },
        Shapes {
            mermaid: ("{{", "}}"),
            d2: "hexagon",
            dot: ("hexagon", "solid"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A shield.
    row(
        Kind::Gateway,
        "gateway",
        Role::Router,
        "an API gateway: routes each request to one backend by its share, and is where rate limits and authentication usually sit.",
        Look {
            accent: ("#2680c2", "#5ed0fa"),
            glyph: "M12 3l8 3v6c0 5-3.4 8-8 9c-4.6-1-8-4-8-9V6zM9 12l2 2 4-4",
            outline: BOX,
        },
        Shapes {
            mermaid: ("{{", "}}"),
            d2: "hexagon",
            dot: ("hexagon", "solid"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A hexagon with a core.
    row(
        Kind::Service,
        "service",
        Role::Caller,
        "a stateless service: calls each dependency a request needs; `replicas` and `capacity` size it.",
        Look {
            accent: ("#199473", "#3ebd93"),
            glyph: "M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
            outline: BOX,
        },
        Shapes {
            mermaid: ("[", "]"),
            d2: "rectangle",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A gear.
    row(
        Kind::Worker,
        "worker",
        Role::Caller,
        "a background worker: consumes a queue or runs jobs, off the request path.",
        Look {
            accent: ("#3f9142", "#7bc47f"),
            glyph: "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1l2.1-2.1M17 7l2.1-2.1",
            outline: BOX,
        },
        Shapes {
            mermaid: ("[[", "]]"),
            d2: "step",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A lightning bolt.
    row(
        Kind::Cache,
        "cache",
        Role::Data,
        "a cache: answers hits (`hit_ratio`), sends misses to the store it `caches`.",
        Look {
            accent: ("#cb6e17", "#f7c948"),
            glyph: "M13 2L5 14h6l-1 8 8-12h-6z",
            outline: BOX,
        },
        Shapes {
            mermaid: ("(", ")"),
            d2: "stored_data",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // A cylinder.
    row(
        Kind::Database,
        "database",
        Role::Data,
        "a database: holds state; `engine`, `replication`, `partitioning` and `consistency` describe it.",
        Look {
            accent: ("#b44d12", "#f9703e"),
            glyph: "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
            outline: Outline::Cylinder,
        },
        Shapes {
            mermaid: ("[(", ")]"),
            d2: "cylinder",
            dot: ("cylinder", "solid"),
            drawio: "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=8;",
            excalidraw: "rectangle",
        },
    ),
    // A bucket.
    row(
        Kind::Blob,
        "blob",
        Role::Data,
        "an object store for files and media (S3 and the like).",
        Look {
            accent: ("#a27c1a", "#e9b949"),
            glyph: "M4 6h16l-2 14H6zM4 6c0-1.5 3.6-2.5 8-2.5s8 1 8 2.5",
            outline: Outline::Bucket,
        },
        Shapes {
            mermaid: ("[/", "\\]"),
            d2: "stored_data",
            dot: ("folder", "solid"),
            drawio: "shape=trapezoid;flipV=1;perimeter=trapezoidPerimeter;size=0.08;",
            excalidraw: "rectangle",
        },
    ),
    // A log of messages.
    row(
        Kind::Queue,
        "queue",
        Role::Data,
        "a queue or log: decouples producers from consumers; `partitions`, `consumers`, `dlq` describe it.",
        Look {
            accent: ("#6b46c1", "#a78bfa"),
            glyph: "M3 7h18v10H3zM8 7v10M13 7v10M18 7v10",
            outline: Outline::Pipe,
        },
        Shapes {
            mermaid: (">", "]"),
            d2: "queue",
            dot: ("cds", "solid"),
            drawio: "shape=cylinder3;boundedLbl=1;direction=south;size=8;",
            excalidraw: "rectangle",
        },
    ),
    // A magnifier.
    row(
        Kind::Search,
        "search",
        Role::Data,
        "a search index, usually fed from a database's change stream.",
        Look {
            accent: ("#9446ed", "#c084fc"),
            glyph: "M10 4a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM14.5 14.5L20 20",
            outline: BOX,
        },
        Shapes {
            mermaid: ("[", "]"),
            d2: "rectangle",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    // Three nodes in agreement.
    row(
        Kind::Coordinator,
        "coordinator",
        Role::Data,
        "a coordination service (leases, leader election, configuration): ZooKeeper, etcd.",
        Look {
            accent: ("#ba2525", "#ef4e4e"),
            glyph: "M12 3a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM5 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM19 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM11 7l-5 9M13 7l5 9M7 18h10",
            outline: BOX,
        },
        Shapes {
            mermaid: ("[", "]"),
            d2: "rectangle",
            dot: ("box", "rounded"),
            drawio: "rounded=1;arcSize=10;",
            excalidraw: "rectangle",
        },
    ),
    KindInfo {
        article: "an",
        outside: true,
        // A box with an arrow leaving it.
        ..row(
            Kind::External,
            "external",
            Role::Caller,
            "a system the design does not run (a payment provider, a maps API): its availability is what it promises.",
            Look {
                accent: ("#7b8794", "#9aa5b1"),
                glyph: "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5",
                outline: Outline::Rounded {
                    radius: 6.0,
                    dashed: true,
                },
            },
            Shapes {
                mermaid: ("(", ")"),
                d2: "cloud",
                dot: ("box", "rounded,dashed"),
                drawio: "rounded=1;dashed=1;",
                excalidraw: "ellipse",
            },
        )
    },
];

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::Lb,
        Kind::Gateway,
        Kind::Service,
        Kind::Worker,
        Kind::Cache,
        Kind::Database,
        Kind::Blob,
        Kind::Queue,
        Kind::Search,
        Kind::Coordinator,
        Kind::External,
    ];

    /// This kind's row of the kind table.
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// "a" or "an", for messages.
    pub fn article(self) -> &'static str {
        self.info().article
    }

    pub fn role(self) -> Role {
        self.info().role
    }

    /// Callers call each dependency a request needs (docs/estimates.md's sender table).
    pub fn is_caller(self) -> bool {
        self.role() == Role::Caller
    }

    /// Data components hold state (docs/rules.md, "Words used").
    pub fn is_data(self) -> bool {
        self.role() == Role::Data
    }

    /// Balancers (lb, dns) spread requests over alternatives, any one of which serves.
    pub fn balances(self) -> bool {
        self.role() == Role::Balancer
    }

    /// Run by someone else: a client or an external system.
    pub fn is_outside(self) -> bool {
        self.info().outside
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `region` and `zone` are placement; `group` is a plain boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKind {
    Region,
    Zone,
    Group,
}

impl GroupKind {
    pub const ALL: [GroupKind; 3] = [GroupKind::Region, GroupKind::Zone, GroupKind::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Region => "region",
            GroupKind::Zone => "zone",
            GroupKind::Group => "group",
        }
    }

    pub fn parse(word: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `KINDS[kind as usize]` is the kind's own row, for every kind; the match makes a
    /// new variant a compile error here until it is in `ALL` (and so in the table).
    #[test]
    fn every_kind_has_its_row() {
        for (index, kind) in Kind::ALL.into_iter().enumerate() {
            let listed = match kind {
                Kind::Client
                | Kind::Dns
                | Kind::Cdn
                | Kind::Lb
                | Kind::Gateway
                | Kind::Service
                | Kind::Worker
                | Kind::Cache
                | Kind::Database
                | Kind::Blob
                | Kind::Queue
                | Kind::Search
                | Kind::Coordinator
                | Kind::External => kind as usize,
            };
            assert_eq!(listed, index, "{kind:?} is out of order in Kind::ALL");
            assert_eq!(kind.info().kind, kind, "row {index} is not {kind:?}'s");
            let info = kind.info();
            assert!(!info.glyph.is_empty(), "{kind:?} has a glyph");
            assert!(info.description.ends_with('.'), "{kind:?} says what it is");
            let shapes = &info.shapes;
            for shape in [
                shapes.mermaid.0,
                shapes.d2,
                shapes.dot.0,
                shapes.drawio,
                shapes.excalidraw,
            ] {
                assert!(!shape.is_empty(), "{kind:?} has a shape in every export");
            }
        }
    }
}
