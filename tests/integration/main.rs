//! The one integration-test binary. Each module tests one area.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod animation;
mod bad_input;
mod cli;
mod codes;
mod config;
mod data_loss;
mod diff;
mod drift;
mod ecs_round_trip;
mod ecs_wire;
mod flow_groups;
mod formats;
mod fuzz_smoke;
mod history;
mod hostile;
mod html;
mod import_compose;
mod import_ecs;
mod inject;
mod layout;
mod lifecycle;
mod lsp;
mod lsp_bench;
mod lsp_client;
mod lsp_edits;
mod lsp_nvim;
mod markdown;
mod messages;
mod raster;
mod readme;
mod realworld;
mod realworld_compose;
mod realworld_iac;
mod render;
mod rules;
mod schema;
mod scoped_names;
mod support;
mod synth;
mod views;
mod writing;
