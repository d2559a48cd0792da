// A realistic Rocket.Chat incoming script in the style many published GitHub scripts use: prototype extension,
// an event table of object-literal methods, `var` redeclared across branches, long + concatenations.
String.prototype.upperFirst = function() {
  return this.charAt(0).toUpperCase() + this.slice(1);
};

const labelsOf = labels => {
  let names = [];
  labels.forEach(function(label) {
    names.push(label.name);
  });
  names = names.join(", ");
  return { title: "Labels", value: names, short: names.length <= 40 };
};

const handlers = {
  ping(request) {
    return { content: { text: "_" + request.content.hook.id + "_\n" + ":thumbsup: " + request.content.zen } };
  },

  issues(request) {
    const who = request.content.sender;
    if (request.content.action == "opened" || request.content.action == "edited") {
      var body = request.content.issue.body;
    } else if (request.content.action == "labeled") {
      var body =
        "Labels now: " + labelsOf(request.content.issue.labels).value;
    } else if (request.content.action == "closed") {
      if (request.content.issue.closed_by) {
        var body = "Closed by " + request.content.issue.closed_by.login;
      } else {
        var body = "Closed.";
      }
    } else {
      return { error: { success: false, message: "Unsupported issue action" } };
    }
    const action = request.content.action.upperFirst();
    const text =
      "_" +
      request.content.repository.full_name +
      "_\n" +
      "**[" + action + " issue #" + request.content.issue.number + "](" + request.content.issue.html_url + ")**\n\n" +
      body;
    return { content: { attachments: [{ thumb_url: who.avatar_url, text: text, fields: [] }] } };
  },

  push(request) {
    var commits = request.content.commits;
    var changeset = "Changeset";
    if (commits.length > 1) {
      var changeset = changeset + "s";
      var output = [];
    }
    var text = "**Pushed to " + request.content.repository.full_name + ":" + request.content.ref.split("/").pop() + "**\n\n";
    for (var i = 0; i < commits.length; i++) {
      var commit = commits[i];
      var line = "[" + commit.id.substring(0, 7) + "](" + commit.url + ") - " + commit.message;
      if (commits.length > 1) {
        output.push(line);
      } else {
        var output = line;
      }
    }
    text += commits.length > 1 ? output.reverse().join("\n") : output;
    return { content: { text: text, changeset: changeset, odd: - +"](" } };
  },
};

class Script {
  process_incoming_request({ request }) {
    const event = request.headers["x-github-event"];
    if (handlers[event]) {
      return handlers[event](request);
    }
    return { error: { success: false, message: "Unsupported method" } };
  }
}

const script = new Script();
const repo = { full_name: "org/repo" };
var result = [
  script.process_incoming_request({ request: { headers: { "x-github-event": "ping" }, content: { hook: { id: 5 }, zen: "Keep it simple" } } }),
  script.process_incoming_request({ request: { headers: { "x-github-event": "issues" }, content: { action: "labeled", sender: { avatar_url: "a" }, repository: repo, issue: { number: 3, html_url: "u", labels: [{ name: "bug" }, { name: "ui" }] } } } }),
  script.process_incoming_request({ request: { headers: { "x-github-event": "issues" }, content: { action: "closed", sender: {}, repository: repo, issue: { number: 4, html_url: "v", closed_by: null } } } }),
  script.process_incoming_request({ request: { headers: { "x-github-event": "issues" }, content: { action: "deleted" } } }),
  script.process_incoming_request({ request: { headers: { "x-github-event": "push" }, content: { repository: repo, ref: "refs/heads/dev", commits: [{ id: "abcdef123", url: "c1", message: "one" }, { id: "123456789", url: "c2", message: "two" }] } } }),
  script.process_incoming_request({ request: { headers: { "x-github-event": "push" }, content: { repository: repo, ref: "refs/heads/dev", commits: [{ id: "abcdef123", url: "c1", message: "solo" }] } } }),
  script.process_incoming_request({ request: { headers: {}, content: {} } }),
];
