/** Room-scoped sends go through the transport's groups, one per room. */
export const roomGroupName = (roomId: string): string => `room:${roomId}`
