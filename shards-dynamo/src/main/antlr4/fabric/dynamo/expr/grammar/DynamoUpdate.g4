/*
 * DynamoDB's UpdateExpression: SET, REMOVE, ADD and DELETE sections, in any order (each at most
 * once: checked after parsing, with DynamoDB's message). SET's right-hand side is an operand or
 * the sum or difference of two; functions (if_not_exists, list_append) are plain identifiers
 * here and checked after parsing.
 */
grammar DynamoUpdate;

updateExpression : section+ EOF ;
section
  : SET setAction (COMMA setAction)*           # setSection
  | REMOVE path (COMMA path)*                  # removeSection
  | ADD pathValue (COMMA pathValue)*           # addSection
  | DELETE pathValue (COMMA pathValue)*        # deleteSection
  ;
setAction : path EQ setValue ;
setValue
  : operand                   # plainValue
  | operand PLUS operand      # plusValue
  | operand MINUS operand     # minusValue
  | LPAREN setValue RPAREN    # parenValue
  ;
pathValue : path VALUE ;
operand
  : function                  # functionOperand
  | path                      # pathOperand
  | VALUE                     # valueOperand
  | LPAREN operand RPAREN     # parenOperand
  ;
function : IDENT LPAREN operand (COMMA operand)* RPAREN ;
path : pathName (DOT pathName | LBRACKET INDEX RBRACKET)* ;
pathName : IDENT | NAME ;

SET : [sS][eE][tT] ;
REMOVE : [rR][eE][mM][oO][vV][eE] ;
ADD : [aA][dD][dD] ;
DELETE : [dD][eE][lL][eE][tT][eE] ;
IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ;
NAME : '#' [a-zA-Z0-9_]+ ;
VALUE : ':' [a-zA-Z0-9_]+ ;
INDEX : [0-9]+ ;
EQ : '=' ;
PLUS : '+' ;
MINUS : '-' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
DOT : '.' ;
WS : [ \t\r\n]+ -> skip ;
ERROR_CHAR : . ;
