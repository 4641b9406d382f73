//! The server's integration tests, one module per area, in one test binary (one link of
//! the server instead of one per file). Each test starts its own `parlo-server` (in process
//! or as a child process) on a fresh data directory, or a fresh schema when
//! `PARLO_TEST_DATABASE_URL` names a PostgreSQL database.

mod common;

mod api_keys;
mod assets;
mod auth;
mod backup;
mod bot_fields;
mod broadcasts;
mod channels;
mod cli;
mod console_access;
mod conversations;
mod cors;
mod email;
mod erasure;
mod events;
mod flow_statistics;
mod flow_steps;
mod flows;
mod forms;
mod health;
mod identity;
mod inbox;
mod instances;
mod isolation;
mod keywords;
mod leads;
mod locales;
mod malformed;
mod management_cors;
mod metrics;
mod openapi;
mod outbox;
mod pre_chat;
mod pruning;
mod public_chat;
mod public_limits;
mod rate_limit;
mod send;
mod shop;
mod shop_steps;
mod shutdown;
mod submissions;
mod subscribers;
mod tags;
mod takeover;
mod triggers;
mod webhook_steps;
mod webhooks;
mod workspaces;
