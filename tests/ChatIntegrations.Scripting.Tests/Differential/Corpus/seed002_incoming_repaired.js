// Seed 002 (Rocket.Chat docs mirror): incoming script, damaged in capture; repaired (comment terminators, content wrapper, closing braces).
var logs = []; var console = { log: function () { logs.push([].slice.call(arguments).map(function (a) { return JSON.stringify(a); }).join(" ")); } };
/* exported Script */
/* globals console, _, s */

/** Global Helpers
 * console - A normal console instance
 * _       - An underscore instance
 * s       - An underscore string instance
 */

class Script {
  /**
   * @params {object} request
   */
  process_incoming_request({ request }) {
    // request.url.hash
    // request.url.query
    // request.url.pathname
    // request.url.path
    // request.url_raw
    // request.url_params
    // request.headers
    // request.user._id
    // request.user.username
    // request.content_raw
    // request.content

    // console is a global helper to improve debug

    return {
      content: {
        text: request.content.text,
        icon_emoji: request.content.icon_emoji,
        // "attachments": [{
        //   "color": "#FF0000",
        //   "author_name": "Rocket.Cat",
        //   "author_link": "",
        //   "author_icon": "",
        //   "title": "Rocket.Chat",
        //   "title_link": "",
        //   "text": "Rocket.Chat, the best open source chat",
        //   "fields": [{
        //     "title": "Priority",
        //     "value": "High",
        //     "short": false
        //   }],
        //   "image_url": "",
        //   "thumb_url": ""
        // }]

    // return {
    //   error: {
    //     success: false,
    //     message: 'Error example'
    //   }
    // };
      }
    };
  }
}

const script = new Script();
var result = script.process_incoming_request({ request: { content: { icon_emoji: ':smirk:', text: 'Example message', channel: '#notifications' } } });
