//! A real editor as the client: Neovim (Debian's package), headless, with its built-in LSP
//! client attached to `archflow lsp`. It opens a broken model, waits for the findings, jumps to
//! a definition and hovers, and writes what it saw to a JSON file that this test reads.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{read, tool_ready};

/// The Lua the editor runs: works with Neovim 0.7 (Debian 12) and later.
const SCRIPT: &str = r"
local out = vim.env.ARCHFLOW_NVIM_OUT
local function finish(result)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.ARCHFLOW_NVIM_MODEL))
  local buf = vim.api.nvim_get_current_buf()
  local config = {
    name = 'archflow',
    cmd = { vim.env.ARCHFLOW_BIN, 'lsp' },
    root_dir = vim.fn.fnamemodify(vim.env.ARCHFLOW_NVIM_MODEL, ':h'),
  }
  local client
  if vim.lsp.start then
    client = vim.lsp.start(config)
  else
    client = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client)
  end
  local seen = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local result = { waited = seen, diagnostics = {} }
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
    })
  end
  -- Go to definition from the listener's `targetGroup: goals-tg`.
  local line = vim.fn.search('targetGroup: goals-tg', 'w')
  vim.api.nvim_win_set_cursor(0, { line, vim.fn.getline(line):find('goals%-tg') + 1 })
  local params = vim.lsp.util.make_position_params()
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 20000) or {}
  for _, answer in pairs(answers) do
    local loc = answer.result
    if loc and loc[1] then loc = loc[1] end
    if loc then
      vim.lsp.util.jump_to_location(loc, 'utf-16')
      local cursor = vim.api.nvim_win_get_cursor(0)
      result.definition = { line = cursor[1], col = cursor[2], text = vim.api.nvim_get_current_line() }
    end
  end
  -- Hover on the container `mongodb` in `connectsTo`.
  line = vim.fn.search('connectsTo: \\[mongodb\\]', 'w')
  vim.api.nvim_win_set_cursor(0, { line, vim.fn.getline(line):find('mongodb') + 1 })
  params = vim.lsp.util.make_position_params()
  answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000) or {}
  for _, answer in pairs(answers) do
    if answer.result and answer.result.contents then
      result.hover = answer.result.contents.value
    end
  end
  finish(result)
end)
if not ok then finish({ error = tostring(err) }) end
";

#[test]
fn neovim_shows_the_findings_and_jumps_to_definitions() {
    let ready = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool_ready("Neovim", ready, "apt-get install neovim") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("architecture.yaml");
    let text = read("architecture.yaml").replace("sourceVolume: data", "sourceVolume: dta");
    std::fs::write(&model, &text).unwrap();
    let script = dir.path().join("test.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let out = dir.path().join("result.json");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("ARCHFLOW_BIN", env!("CARGO_BIN_EXE_archflow"))
        .env("ARCHFLOW_NVIM_MODEL", &model)
        .env("ARCHFLOW_NVIM_OUT", &out)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while nvim.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("Neovim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("Neovim wrote its result"))
            .unwrap();
    assert!(result.get("error").is_none(), "{result}");
    assert_eq!(result["waited"], true, "{result}");

    // The finding, where `archflow check` puts it (0-based line, byte column).
    let start = text.find("sourceVolume: dta").unwrap() + "sourceVolume: ".len();
    let line = text[..start].matches('\n').count();
    let col = start - text[..start].rfind('\n').unwrap() - 1;
    let a001 = result["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "A001")
        .unwrap_or_else(|| panic!("no A001 in {result}"));
    assert_eq!(a001["lnum"], line);
    assert_eq!(a001["col"], col);
    assert_eq!(a001["end_col"], col + 3);
    assert_eq!(a001["severity"], 1, "an error");
    assert_eq!(a001["source"], "archflow");
    assert!(
        a001["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `data`?")
    );

    // Go to definition landed on the target group's name.
    let def_line = text[..text.find("- name: goals-tg").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(result["definition"]["line"], def_line, "{result}");
    assert_eq!(result["definition"]["col"], "  - name: ".len(), "{result}");
    assert_eq!(result["definition"]["text"], "  - name: goals-tg");
    assert!(
        result["hover"]
            .as_str()
            .unwrap_or("")
            .starts_with("**container** `mongodb`"),
        "{result}"
    );
}
