//! Management API: `GET /api/v1/flows/{flow_id}/statistics` → [`FlowStatistics`] (what is
//! counted, and when a flow "completes": [`parlo_model::flow_statistics`]).

use crate::auth::ApiKey;
use crate::db::{flow_statistics, flows};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use parlo_engine::{ButtonKind, StepOutcome};
use parlo_model::flow::{ButtonDef, Step};
use parlo_model::flow_statistics::{ButtonStatistics, FlowStatistics, StepStatistics};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_flow_statistics))
}

/// The `type` of a step, as in the flow document (its serde tag).
fn step_type(step: &Step) -> String {
    serde_json::to_value(step)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// Statistics of a flow, per step
///
/// Sent, clicks, outcomes and completions of every step of the flow's current document (steps
/// without counts show zeros; counts of steps since removed are left out).
#[utoipa::path(
    get,
    path = "/api/v1/flows/{flow_id}/statistics",
    tag = "management",
    description = "Per step: `sent` (its message reached the subscriber), clicks of each postback \
                   button and quick reply, `outcomes` of condition, webhook and hand-over steps \
                   (`then`/`else`, `succeeded`/`failed`, `handed_over`), and `completions` (the \
                   flow ended at this step: no `next` and nothing to wait for, or a `goto` to \
                   another flow). Counted while the bot runs, since the flow was created.",
    params(("flow_id" = String, Path, description = "Flow id, e.g. `welcome`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The flow's statistics", body = FlowStatistics),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_flow_statistics(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
) -> ApiResult<Json<FlowStatistics>> {
    let flow_id = routes::flows::flow_id(&flow_id)?;
    let mut conn = state.db.acquire().await?;
    let flow = flows::find(&mut conn, key.workspace_id, flow_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no flow '{flow_id}'")))?;
    let counters = flow_statistics::counters(&mut conn, key.workspace_id, flow_id).await?;
    let clicks = |step: &str, kind: ButtonKind, defs: Vec<&ButtonDef>| -> Vec<ButtonStatistics> {
        (0_u32..)
            .zip(defs)
            .map(|(index, def)| ButtonStatistics {
                index,
                title: def.title.clone(),
                clicks: counters
                    .clicks
                    .get(&(step.to_owned(), kind, index))
                    .copied()
                    .unwrap_or(0),
            })
            .collect()
    };
    let steps: Vec<StepStatistics> = flow
        .steps
        .iter()
        .map(|(id, step)| {
            let (sent, completions) = counters.steps.get(id.as_str()).copied().unwrap_or((0, 0));
            let buttons = step.buttons().into_iter().map(|(_, b)| b).collect();
            let buttons = clicks(id.as_str(), ButtonKind::Button, buttons);
            let quick_replies = clicks(
                id.as_str(),
                ButtonKind::QuickReply,
                step.quick_replies().iter().collect(),
            );
            let outcomes = StepOutcome::of_step(step)
                .iter()
                .map(|outcome| {
                    let key = (id.to_string(), outcome.as_str().to_owned());
                    let count = counters.outcomes.get(&key).copied().unwrap_or(0);
                    (key.1, count)
                })
                .collect();
            StepStatistics {
                step_id: id.clone(),
                step_type: step_type(step),
                sent,
                completions,
                buttons,
                outcomes,
                quick_replies,
            }
        })
        .collect();
    Ok(Json(FlowStatistics {
        flow_id: flow.id,
        completions: steps.iter().map(|s| s.completions).sum(),
        steps,
    }))
}
