//! The repository's pre-commit hooks (`.pre-commit-hooks.yaml`) run by pre-commit itself
//! (PyPI's `pre-commit`, which `.ci/run` installs): `try-repo` builds hld with cargo as
//! a user's pre-commit would, then runs `hld-check` and `hld-fmt` on a repository of the
//! designs.

use std::path::Path;
use std::process::Command;

use crate::common::{designs, required, runs};

#[test]
fn pre_commit_runs_the_hooks_on_the_designs() {
    let Some(pre_commit) = required(runs("pre-commit", &["--version"], "pip install pre-commit"))
    else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=hld", "-c", "user.email=hld@localhost"])
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q", "."]);
    for design in designs() {
        std::fs::copy(&design, repo.path().join(design.file_name().unwrap())).unwrap();
    }
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "designs"]);
    for hook in ["hld-check", "hld-fmt"] {
        let report = crate::common::succeeds(
            Command::new(&pre_commit)
                .args(["try-repo"])
                .arg(root)
                .args([hook, "--all-files"])
                .current_dir(repo.path())
                // Its own cache, and the workspace's build directory, so that the build
                // reuses what the tests' build left.
                .env("PRE_COMMIT_HOME", home.path())
                .env("CARGO_TARGET_DIR", root.join("target"))
                // `.ci/run` builds the tests through clippy; the hook's build is a user's.
                .env_remove("RUSTC_WORKSPACE_WRAPPER")
                .env_remove("CLIPPY_ARGS"),
        );
        assert!(report.contains("Passed"), "{hook} ran: {report}");
    }
}
