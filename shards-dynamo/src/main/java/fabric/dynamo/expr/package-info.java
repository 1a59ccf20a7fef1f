/**
 * DynamoDB's expression language: parsing (ANTLR grammars in {@code src/main/antlr4}, generated
 * at build time), DynamoDB's validation with its ValidationException messages, and evaluation.
 * Pure functions on {@link fabric.dynamo.model.Item}s: no actors, no I/O.
 *
 * <p>One request, one {@link fabric.dynamo.expr.ExpressionContext}:
 *
 * <pre>{@code
 * ExpressionContext ctx = ExpressionContext.of(request.names(), request.values()); // nulls if absent
 * Condition condition = text == null ? null : Condition.parse(text, ctx);          // ConditionExpression
 * Update update = Update.parse(updateText, ctx);                                   // UpdateExpression
 * ctx.checkAllUsed();                        // unused placeholders, or placeholders without expressions
 *
 * if (condition != null && !condition.test(stored)) -> ConditionalCheckFailedException
 * Update.Result r = update.apply(stored != null ? stored : keyItem, keyAttributeNames);
 * r.item().checkSize(); // ReturnValues: r.updatedOld(), r.updatedNew(), or stored / r.item()
 * }</pre>
 *
 * <p>The public types: {@link fabric.dynamo.expr.ExpressionContext} (ExpressionAttributeNames and
 * ExpressionAttributeValues, and which were used), {@link fabric.dynamo.expr.DocumentPath} (a
 * resolved path, with get/set/remove), {@link fabric.dynamo.expr.Condition} (ConditionExpression,
 * FilterExpression), {@link fabric.dynamo.expr.Update} (UpdateExpression), {@link
 * fabric.dynamo.expr.Projection} (ProjectionExpression) and {@link fabric.dynamo.expr.KeyCondition}
 * (KeyConditionExpression). Parsed expressions are immutable and may be shared between threads;
 * a context belongs to one request.
 */
package fabric.dynamo.expr;
