-- Neovim's own LSP client (0.7, from Debian) on `hld lsp`: open the design named by
-- HLD_DESIGN, start the server HLD_BIN, wait for its diagnostics, write them as JSON
-- to HLD_OUT, quit. Run by tests/it/editors.rs:
--   nvim --headless -u NONE -i NONE -c "luafile tests/editors/neovim.lua"
local design, out, hld = vim.env.HLD_DESIGN, vim.env.HLD_OUT, vim.env.HLD_BIN

local function finish(result)
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qa!")
end

vim.cmd("edit " .. vim.fn.fnameescape(design))
local buffer = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "hld",
  cmd = { hld, "lsp" },
  root_dir = vim.fn.fnamemodify(design, ":h"),
})
if not client then
  return finish({ error = "the client did not start" })
end
vim.lsp.buf_attach_client(buffer, client)

local arrived = vim.wait(15000, function()
  return #vim.diagnostic.get(buffer) > 0
end, 50)
if not arrived then
  return finish({ error = "no diagnostics in 15 s" })
end
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(diagnostics, {
    line = d.lnum + 1,
    column = d.col + 1,
    code = d.code or lsp.code,
    severity = d.severity,
    source = d.source,
    message = d.message,
  })
end
finish({ diagnostics = diagnostics })
