/** `netplay-toolkit/node`: run `netplay-toolkit/client` in Node (bots, tests): installs node-datachannel's WebRTC polyfill. */
export { installNodeWebRTC } from '../client/node'
