-- Neovim (Debian's 0.7) with both servers on one monthly file: yaml-language-server (the
-- schema's findings) and hearings lsp (the rest). Each diagnostic is written to OUT as
-- "source code line", then the titles of the code actions offered on line KEY + 1.
local out = vim.env.OUT
local yaml = vim.lsp.start_client({name = 'yaml',
  cmd = {'node', vim.env.YAMLLS, '--stdio'}, root_dir = vim.env.ROOT,
  settings = {yaml = {validate = true, schemaStore = {enable = false}}}})
local hearings = vim.lsp.start_client({name = 'hearings',
  cmd = {vim.env.PYTHON, '-m', 'hearings', 'lsp'}, root_dir = vim.env.ROOT})
vim.lsp.buf_attach_client(0, yaml)
vim.lsp.buf_attach_client(0, hearings)
local function sources()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do seen[d.source or '?'] = true end
  return seen
end
vim.wait(60000, function()
  local seen = sources()
  local yaml_seen = false
  for source, _ in pairs(seen) do
    if source ~= 'hearings' then yaml_seen = true end
  end
  return seen['hearings'] and yaml_seen
end, 200)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '-'
  table.insert(lines, (d.source or '?') .. ' ' .. tostring(code) .. ' ' .. (d.lnum + 1)
               .. ' ' .. d.message:gsub('\n', ' '))
end
local key = tonumber(vim.env.KEY)
local params = vim.lsp.util.make_range_params()
params.range = {start = {line = key, character = 0}, ['end'] = {line = key, character = 40}}
params.context = {diagnostics = {}}
local replies = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 20000)
for _, reply in pairs(replies or {}) do
  for _, action in ipairs(reply.result or {}) do
    table.insert(lines, 'action ' .. action.title)
  end
end
vim.fn.writefile(lines, out)
vim.cmd('qa!')
