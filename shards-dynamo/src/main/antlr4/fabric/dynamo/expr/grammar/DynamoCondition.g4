/*
 * DynamoDB's condition language: ConditionExpression, FilterExpression and KeyConditionExpression
 * (conditionExpression) and ProjectionExpression (projectionExpression).
 *
 * Precedence, tightest first, as DynamoDB documents it: comparators, IN, BETWEEN, functions,
 * parentheses, NOT, AND, OR. Function names are plain identifiers here: which ones exist, how many
 * operands they take and where they may stand is checked after parsing, so that the errors carry
 * DynamoDB's messages ("Invalid function name; function: x") rather than a syntax error.
 */
grammar DynamoCondition;

conditionExpression : orCondition EOF ;
projectionExpression : path (COMMA path)* EOF ;

orCondition : andCondition (OR andCondition)* ;
andCondition : notCondition (AND notCondition)* ;
notCondition
  : NOT notCondition    # negation
  | primaryCondition    # primary
  ;
primaryCondition
  : operand comparator operand                         # comparison
  | operand BETWEEN operand AND operand                # between
  | operand IN LPAREN operand (COMMA operand)* RPAREN  # in
  | function                                           # functionCondition
  | LPAREN orCondition RPAREN                          # parenCondition
  ;
comparator : EQ | NE | LT | LE | GT | GE ;
operand
  : function                  # functionOperand
  | path                      # pathOperand
  | VALUE                     # valueOperand
  | LPAREN operand RPAREN     # parenOperand
  ;
function : IDENT LPAREN operand (COMMA operand)* RPAREN ;
path : pathName (DOT pathName | LBRACKET INDEX RBRACKET)* ;
pathName : IDENT | NAME ;

AND : [aA][nN][dD] ;
OR : [oO][rR] ;
NOT : [nN][oO][tT] ;
BETWEEN : [bB][eE][tT][wW][eE][eE][nN] ;
IN : [iI][nN] ;
IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ;
NAME : '#' [a-zA-Z0-9_]+ ;
VALUE : ':' [a-zA-Z0-9_]+ ;
INDEX : [0-9]+ ;
NE : '<>' ;
LE : '<=' ;
GE : '>=' ;
EQ : '=' ;
LT : '<' ;
GT : '>' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
DOT : '.' ;
WS : [ \t\r\n]+ -> skip ;
// Anything else becomes a token of its own, so that the parser names it in its syntax error.
ERROR_CHAR : . ;
