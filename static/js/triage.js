// Triage queue keyboard shortcuts: each decision carries data-key; pressing that key clicks it
// (a button or the skip link). data-focus names a key that moves to a text field instead (the
// question), so the whole queue works from the keyboard. Keys typed into a text field are left
// alone. The page works without this file.
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT")) return;
  var key = event.key.toLowerCase();
  var focus = document.querySelector('[data-focus="' + key + '"]');
  if (focus) {
    var field = document.getElementById(focus.getAttribute("data-target"));
    if (field) {
      event.preventDefault();
      field.focus();
    }
    return;
  }
  var action = document.querySelector('button[data-key="' + key + '"], a[data-key="' + key + '"]');
  if (action) {
    event.preventDefault();
    action.click();
  }
});
