#pragma once
// reel's MCP tools: each one's name, description, schemas and handler, over a Workspace.
// tools_draft.cpp: validate_draft, summarize_draft, edit_draft, undo_edit (no media read).
// tools_frames.cpp: get_frame, review_frames, focus (the engine's stills and focus).
// tools_render.cpp: render_preview, render_final, export, bench (videos written to files).
#include "cli/mcp/tool.h"
#include "cli/mcp/workspace.h"

namespace reel::cli::mcp {

void add_draft_tools(ToolCatalog& tools, const Workspace& ws);
void add_frame_tools(ToolCatalog& tools, const Workspace& ws);
void add_render_tools(ToolCatalog& tools, const Workspace& ws);

/// Every tool, in the order tools/list gives them. `ws` must outlive the catalog.
ToolCatalog reel_tools(const Workspace& ws);

/// A result whose structured value is `structured` (the dispatcher adds it as text too).
ToolResult structured_result(Json structured, bool is_error = false);

}  // namespace reel::cli::mcp
