// A realistic Rocket.Chat incoming script (GitLab-style), written the way published scripts are.
/* exported Script */
/* globals console, _, s */
const STATUS_COLOR = { success: '#2faa60', failed: '#d22852', running: '#2f6ead' };
const truncate = (str, n = 30) => (str && str.length > n ? `${str.slice(0, n - 1)}…` : str);
const refName = (ref) => ref.replace(/^refs\/(heads|tags)\//, '');

class Script {
  constructor() { this.handlers = { push: this.push, merge_request: this.mergeRequest, pipeline: this.pipeline }; }

  process_incoming_request({ request }) {
    const event = request.headers['x-gitlab-event'] || '';
    const kind = request.content?.object_kind;
    const handler = this.handlers[kind];
    if (!handler) {
      return { error: { success: false, message: `Unknown event ${event || kind}` } };
    }
    try {
      return { content: handler.call(this, request.content) };
    } catch (e) {
      return { error: { success: false, message: e instanceof TypeError ? 'bad payload' : e.message } };
    }
  }

  push({ user_name, ref, commits = [], project: { name, web_url } }) {
    const lines = commits.map(({ id, message, author: { name: author } }) => `[${id.slice(0, 8)}](${web_url}/commit/${id}) ${truncate(message.split('\n')[0])} - ${author}`);
    return {
      text: `${user_name} pushed ${commits.length} commit${commits.length === 1 ? '' : 's'} to ${name}/${refName(ref)}`,
      attachments: [{ text: lines.join('\n'), color: STATUS_COLOR.running }],
    };
  }

  mergeRequest({ user: { name }, object_attributes: { title, state, url, iid, ...rest } }) {
    return { text: `${name} ${state} MR !${iid}: [${title}](${url})`, fields: Object.keys(rest).sort() };
  }

  pipeline({ object_attributes: { status, duration, stages = [] }, builds = [] }) {
    const failed = builds.filter(b => b.status === 'failed').map(b => b.name);
    const byStage = builds.reduce((acc, { stage, status: st }) => ({ ...acc, [stage]: [...(acc[stage] ?? []), st] }), {});
    return {
      text: `Pipeline ${status} in ${duration ?? '?'}s`,
      attachments: [{ color: STATUS_COLOR[status] ?? '#cccccc', fields: stages.map(st => ({ title: st, value: (byStage[st] || []).join(', '), short: true })) }],
      failed,
    };
  }
}

const script = new Script();
const headers = { 'x-gitlab-event': 'Push Hook' };
var result = [
  script.process_incoming_request({ request: { headers, content: { object_kind: 'push', user_name: 'ann', ref: 'refs/heads/main', project: { name: 'proj', web_url: 'http://g/p' }, commits: [{ id: '0123456789abcdef', message: 'Fix a very long commit message that goes on and on\nbody', author: { name: 'Ann' } }] } } }),
  script.process_incoming_request({ request: { headers, content: { object_kind: 'merge_request', user: { name: 'bob' }, object_attributes: { title: 'Feature', state: 'opened', url: 'http://mr', iid: 7, source: 'a', target: 'b' } } } }),
  script.process_incoming_request({ request: { headers, content: { object_kind: 'pipeline', object_attributes: { status: 'failed', duration: null, stages: ['build', 'test'] }, builds: [{ stage: 'build', status: 'success', name: 'b1' }, { stage: 'test', status: 'failed', name: 't1' }, { stage: 'test', status: 'success', name: 't2' }] } } }),
  script.process_incoming_request({ request: { headers: {}, content: { object_kind: 'issue' } } }),
  script.process_incoming_request({ request: { headers, content: { object_kind: 'push', ref: 'x' } } }),
];
