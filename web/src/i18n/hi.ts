import type { Messages } from "./en";

const messages: Partial<Messages> = {};
export default messages;
