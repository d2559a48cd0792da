/* exported Script */
/* globals console, _, s */

/** Global Helpers
 * console - A normal console instance
 * _       - An underscore instance
 * s       - An underscore string instance

class Script {
   * @params {object} request
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

To test if your integration works, use curl to make a POST request to the generated webhook URL.

curl -X POST \
  -H 'Content-Type: application/json' \
  --data '{
      "icon_emoji": ":smirk:",
      "text": "Example message"
  }' \

If you want to send the message to another channel or user use the channel argument with @user or #channel. Keep in mind that the user of the integration needs to be part of those channels if they are private.

curl -X POST \
  -H 'Content-Type: application/json' \
  --data '{
      "icon_emoji": ":smirk:",
      "channel": "#notifications",
      "text": "Example message"
  }' \

If you want to do more complex things uncomment the part of the attachments.