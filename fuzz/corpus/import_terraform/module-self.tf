variable "port" { default = 8080 }
module "app" {
  source = "./modules/app"
  port   = var.port
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = templatefile("${path.module}/main.tf", { port = var.port })
}
resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = aws_ecs_task_definition.app.arn
  count           = 2
}
